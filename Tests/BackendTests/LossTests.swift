import Backend
import Foundation
import Testing
import TestSupport

/// Losses beyond their parity cases (`ParityCatalog.loss`, run by `ParityTests`).
@Suite struct LossTests {
    @Test(arguments: TestDevice.all)
    func crossEntropyIsStableForLargeLogits(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let values: [Float] = [1000, -1000, 999, 88, -3e4, 3e4, 0, 5]
        let labelValues: [Float] = [2, 1]
        let logits = try Tensor(values, shape: [2, 4], on: device)
        let labels = try Tensor(labelValues, shape: [2], on: device)
        let loss = try poisonedTensor([2], on: device)
        let grad = try poisonedTensor([2, 4], on: device)
        try device.softmaxCrossEntropy(logits: logits, labels: labels, reduction: .none, into: loss, gradLogits: grad)
        let expected = LossReference.crossEntropy(values.map(Double.init), labels: labelValues, classes: 4)
        expectClose(try loss.toArray(), expected, tolerance: 1e-5, "large logits")
        let e = exp(-1.0)
        expectClose(try grad.toArray(), [1 / (1 + e), 0, e / (1 + e) - 1, 0, 0, -0.0, 0, 0], tolerance: 1e-6, "gradient")
    }

    @Test(arguments: TestDevice.all)
    func invalidLabelsGiveNaNRows(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let logits = try randomTensor([4, 3], seed: 9, on: device)
        let labels = try Tensor([0, 3, 1.5, -1], shape: [4], on: device)
        let loss = try poisonedTensor([4], on: device)
        let grad = try poisonedTensor([4, 3], on: device)
        try device.softmaxCrossEntropy(logits: logits, labels: labels, reduction: .none, into: loss, gradLogits: grad)
        let values = try loss.toArray()
        #expect(values[0].isFinite)
        #expect(values[1...].allSatisfy { $0.isNaN })
        let gradient = try grad.toArray()
        #expect(gradient[0..<3].allSatisfy { $0.isFinite })
        #expect(gradient[3...].allSatisfy { $0.isNaN })
    }

    @Test(arguments: TestDevice.openCL)
    func openCLMatchesTheCPU(_ testDevice: TestDevice) throws {
        let shape = [257, 10]
        let logitValues = randomValues(2570, in: -20...20, seed: 31)
        let labelValues = LossInputs.labels(rows: 257, classes: 10, seed: 32)
        let targets = randomValues(2570, in: 0.001...1, seed: 33)
        var results: [[Float]] = []
        for device in [CPUDevice.shared as any Device, testDevice.device] {
            let logits = try Tensor(logitValues, shape: shape, on: device)
            let labels = try Tensor(labelValues, shape: [257], on: device)
            let target = try Tensor(targets, shape: shape, on: device)
            let loss = try poisonedTensor([1], on: device)
            let grad = try poisonedTensor(shape, on: device)
            var values: [Float] = []
            try device.softmaxCrossEntropy(logits: logits, labels: labels, reduction: .mean, into: loss, gradLogits: grad)
            values += try loss.toArray() + grad.toArray()
            try device.binaryCrossEntropyWithLogits(logits: logits, targets: target, reduction: .sum, into: loss)
            try device.binaryCrossEntropyWithLogitsBackward(logits: logits, targets: target, reduction: .sum, gradOutput: nil, into: grad)
            values += try loss.toArray() + grad.toArray()
            try device.meanSquaredError(prediction: logits, target: target, reduction: .mean, into: loss)
            try device.meanSquaredErrorBackward(prediction: logits, target: target, reduction: .mean, gradOutput: loss, into: grad)
            values += try loss.toArray() + grad.toArray()
            results.append(values)
        }
        expectClose(results[1], results[0], tolerance: 1e-5, "OpenCL against CPU")
    }

    @Test(arguments: TestDevice.all)
    func badShapesThrow(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let logits = try Tensor(uninitializedShape: [4, 3], on: device)
        let labels = try Tensor(uninitializedShape: [4], on: device)
        let wrong = try Tensor(uninitializedShape: [5], on: device)
        let one = try Tensor(uninitializedShape: [1], on: device)
        #expect(throws: BackendError.self) {
            try device.softmaxCrossEntropy(logits: logits, labels: wrong, reduction: .mean, into: one, gradLogits: nil)
        }
        #expect(throws: BackendError.self) {
            try device.softmaxCrossEntropy(logits: logits, labels: labels, reduction: .none, into: one, gradLogits: nil)
        }
        #expect(throws: BackendError.self) {
            try device.softmaxCrossEntropy(logits: logits, labels: labels, reduction: .sum, into: one, gradLogits: wrong)
        }
        #expect(throws: BackendError.self) {
            try device.softmaxCrossEntropyBackward(logits: logits, labels: labels, reduction: .mean, gradOutput: labels, into: logits)
        }
        #expect(throws: BackendError.self) { try device.meanSquaredError(prediction: labels, target: wrong, reduction: .sum, into: one) }
        #expect(throws: BackendError.self) {
            try device.binaryCrossEntropyWithLogitsBackward(logits: labels, targets: labels, reduction: .none, gradOutput: one, into: wrong)
        }
    }
}

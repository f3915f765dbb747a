import Backend
import Foundation
import Testing
import TestSupport

/// Double references of the losses: per-sample values, then the reduction.
enum LossReference {
    static func reduce(_ samples: [Double], _ reduction: LossReduction) -> [Double] {
        switch reduction {
        case .none: samples
        case .sum: [samples.reduce(0, +)]
        case .mean: [samples.reduce(0, +) / Double(samples.count)]
        }
    }

    static func crossEntropy(_ logits: [Double], labels: [Float], classes: Int) -> [Double] {
        labels.indices.map { row in
            let z = logits[row * classes..<(row + 1) * classes]
            let largest = z.max() ?? 0
            let logSumExp = largest + log(z.reduce(0) { $0 + exp($1 - largest) })
            return logSumExp - z[row * classes + Int(labels[row])]
        }
    }

    static func squaredError(_ x: [Double], _ y: [Float]) -> [Double] {
        zip(x, y).map { ($0 - Double($1)) * ($0 - Double($1)) }
    }

    static func binaryCrossEntropy(_ x: [Double], _ y: [Float]) -> [Double] {
        zip(x, y).map { x, y in
            let p = 1 / (1 + exp(-x))
            return -(Double(y) * log(p) + (1 - Double(y)) * log(1 - p))
        }
    }
}

/// The elementwise losses, each with its ops and Double reference.
enum ElementwiseLoss: CaseIterable {
    case mse, bce

    /// Targets: any value for MSE, probabilities for binary cross-entropy.
    var targetRange: ClosedRange<Float> { self == .mse ? -1...1 : 0.001...1 }

    func reference(_ x: [Double], _ y: [Float]) -> [Double] {
        self == .mse ? LossReference.squaredError(x, y) : LossReference.binaryCrossEntropy(x, y)
    }

    func forward(_ device: any Device, _ x: Tensor, _ y: Tensor, _ reduction: LossReduction, _ loss: Tensor) throws {
        switch self {
        case .mse: try device.meanSquaredError(prediction: x, target: y, reduction: reduction, into: loss)
        case .bce: try device.binaryCrossEntropyWithLogits(logits: x, targets: y, reduction: reduction, into: loss)
        }
    }

    func backward(
        _ device: any Device, _ x: Tensor, _ y: Tensor, _ reduction: LossReduction, _ gradOutput: Tensor?, _ grad: Tensor
    ) throws {
        switch self {
        case .mse:
            try device.meanSquaredErrorBackward(prediction: x, target: y, reduction: reduction, gradOutput: gradOutput, into: grad)
        case .bce:
            try device.binaryCrossEntropyWithLogitsBackward(logits: x, targets: y, reduction: reduction, gradOutput: gradOutput, into: grad)
        }
    }
}

@Suite struct LossTests {
    /// Odd `[rows, classes]` shapes: one row, one class, classes not multiples of anything.
    static let crossEntropyShapes = [[1, 7], [5, 3], [13, 10], [4, 1], [2, 3, 5]]

    static func labels(rows: Int, classes: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<rows).map { _ in Float(Int.random(in: 0..<classes, using: &generator)) }
    }

    /// A random upstream gradient with the loss's shape.
    static func upstream(_ reduction: LossReduction, samples: Int, seed: UInt64) -> [Float] {
        randomValues(reduction == .none ? samples : 1, in: 0.5...2, seed: seed)
    }

    @Test(arguments: TestDevice.all, LossReduction.allCases)
    func crossEntropyMatchesTheReference(_ testDevice: TestDevice, reduction: LossReduction) throws {
        let device = testDevice.device
        for (index, shape) in Self.crossEntropyShapes.enumerated() {
            let classes = shape.last ?? 1
            let rows = Tensor.elementCount(shape) / classes
            let seed = UInt64(100 + index)
            let logitValues = randomValues(rows * classes, in: -4...4, seed: seed)
            let labelValues = Self.labels(rows: rows, classes: classes, seed: seed)
            let logits = try Tensor(logitValues, shape: shape, on: device)
            let labels = try Tensor(labelValues, shape: Array(shape.dropLast()), on: device)
            let lossShape = reduction == .none ? [rows] : [1]
            let loss = try poisonedTensor(lossShape, on: device)
            let grad = try poisonedTensor(shape, on: device)
            try device.softmaxCrossEntropy(logits: logits, labels: labels, reduction: reduction, into: loss, gradLogits: grad)

            let forward = { (x: [Double]) in LossReference.reduce(LossReference.crossEntropy(x, labels: labelValues, classes: classes), reduction) }
            let x = logitValues.map(Double.init)
            expectClose(try loss.toArray(), forward(x), tolerance: 1e-5, "cross-entropy \(shape)")
            // The fused gradient is that of the reduced loss (the sum of row losses for .none).
            let fused = finiteDifferenceGradient(of: { forward($0).reduce(0, +) }, at: x)
            expectClose(try grad.toArray(), fused, tolerance: 1e-4, "fused gradient \(shape)")

            let upstream = Self.upstream(reduction, samples: rows, seed: seed + 50)
            let gradOutput = try Tensor(upstream, shape: lossShape, on: device)
            let backward = try poisonedTensor(shape, on: device)
            try device.softmaxCrossEntropyBackward(
                logits: logits, labels: labels, reduction: reduction, gradOutput: gradOutput, into: backward)
            let expected = finiteDifferenceGradient(of: { weightedSum(forward($0), upstream) }, at: x)
            expectClose(try backward.toArray(), expected, tolerance: 1e-4, "cross-entropy backward \(shape)")
        }
    }

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

    @Test(arguments: TestDevice.all, LossReduction.allCases)
    func elementwiseLossesMatchTheReference(_ testDevice: TestDevice, reduction: LossReduction) throws {
        let device = testDevice.device
        for name in ElementwiseLoss.allCases {
            for (index, shape) in [[1], [7], [3, 5, 2], [2, 1, 33]].enumerated() {
                let count = Tensor.elementCount(shape)
                let seed = UInt64(200 + index)
                let inputValues = randomValues(count, in: -6...6, seed: seed)
                let targetValues = randomValues(count, in: name.targetRange, seed: seed + 1)
                let input = try Tensor(inputValues, shape: shape, on: device)
                let target = try Tensor(targetValues, shape: shape, on: device)
                let lossShape = reduction == .none ? shape : [1]
                let loss = try poisonedTensor(lossShape, on: device)
                try name.forward(device, input, target, reduction, loss)
                let forward = { (x: [Double]) in LossReference.reduce(name.reference(x, targetValues), reduction) }
                let x = inputValues.map(Double.init)
                expectClose(try loss.toArray(), forward(x), tolerance: 1e-5, "\(name) \(shape)")

                let upstream = Self.upstream(reduction, samples: count, seed: seed + 2)
                let expected = finiteDifferenceGradient(of: { weightedSum(forward($0), upstream) }, at: x)
                let grad = try poisonedTensor(shape, on: device)
                try name.backward(device, input, target, reduction, try Tensor(upstream, shape: lossShape, on: device), grad)
                expectClose(try grad.toArray(), expected, tolerance: 1e-4, "\(name) backward \(shape)")
                // Without an upstream gradient the factor is 1.
                let unit = finiteDifferenceGradient(of: { forward($0).reduce(0, +) }, at: x)
                try name.backward(device, input, target, reduction, nil, grad)
                expectClose(try grad.toArray(), unit, tolerance: 1e-4, "\(name) backward without gradOutput \(shape)")
            }
        }
    }

    @Test(arguments: TestDevice.openCL)
    func openCLMatchesTheCPU(_ testDevice: TestDevice) throws {
        let shape = [257, 10]
        let logitValues = randomValues(2570, in: -20...20, seed: 31)
        let labelValues = Self.labels(rows: 257, classes: 10, seed: 32)
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

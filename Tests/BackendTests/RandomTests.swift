import Backend
import Foundation
import Testing
import TestSupport

/// What the random parity cases (`ParityCatalog.random`, run by `ParityTests`) cannot show:
/// ranges, moments, keep rates and bit-identical draws on every device.
@Suite struct RandomTests {
    @Test func swiftPhiloxMatchesKnownAnswers() {
        for answer in RandomReference.knownAnswers {
            #expect(Philox.block(key: answer.key, counter: answer.counter) == answer.words)
        }
    }

    @Test(arguments: TestDevice.all)
    func uniformFillStaysInItsRange(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let x = try poisonedTensor([1027], on: device)
        try device.uniform(x, low: -2, high: 3, stream: RandomStream(seed: 0xDEAD_BEEF_1234, offset: 7))
        #expect(try x.toArray().allSatisfy { $0 >= -2 && $0 < 3 })
        // Another offset gives other numbers.
        let a = try Tensor(uninitializedShape: [64], on: device)
        let b = try Tensor(uninitializedShape: [64], on: device)
        try device.uniform(a, low: 0, high: 1, stream: RandomStream(seed: 1, offset: 0))
        try device.uniform(b, low: 0, high: 1, stream: RandomStream(seed: 1, offset: 1))
        #expect(try a.toArray() != b.toArray())
    }

    @Test(arguments: TestDevice.all)
    func normalFillHasTheRightMoments(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let count = 1_000_003
        let x = try poisonedTensor([count], on: device)
        try device.normal(x, mean: 1.5, standardDeviation: 2, stream: RandomStream(seed: 42, offset: 3))
        let values = try x.toArray()
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(count)
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(count)
        #expect(abs(mean - 1.5) < 0.01)
        #expect(abs(variance.squareRoot() - 2) < 0.01)
    }

    @Test(arguments: TestDevice.openCL)
    func fillsAgreeWithTheCPU(_ testDevice: TestDevice) throws {
        let cpu = CPUDevice.shared
        let device = testDevice.device
        let stream = RandomStream(seed: 99, offset: 12345)
        let count = 100_001
        for fill in ["uniform", "normal"] {
            let onCPU = try Tensor(uninitializedShape: [count], on: cpu)
            let onDevice = try Tensor(uninitializedShape: [count], on: device)
            for (target, tensor) in [(cpu as any Device, onCPU), (device, onDevice)] {
                if fill == "uniform" {
                    try target.uniform(tensor, low: -0.5, high: 0.25, stream: stream)
                } else {
                    try target.normal(tensor, mean: 0, standardDeviation: 1, stream: stream)
                }
            }
            if fill == "uniform" {
                #expect(try onCPU.toArray() == onDevice.toArray(), "uniform fills differ")
            } else {
                expectClose(try onDevice.toArray(), try onCPU.toArray(), tolerance: 1e-5, "normal")
            }
        }
    }

    @Test(arguments: TestDevice.all, [Float(0.1), 0.5])
    func dropoutKeepsOneMinusP(_ testDevice: TestDevice, probability: Float) throws {
        let device = testDevice.device
        let count = 1_000_000
        let x = try Tensor([Float](repeating: 1, count: count), shape: [count], on: device)
        let output = try poisonedTensor([count], on: device)
        let mask = try poisonedTensor([count], on: device)
        try device.dropout(x, probability: probability, stream: RandomStream(seed: 2024, offset: 5), into: output, mask: mask)
        let keep = try mask.toArray()
        #expect(keep.allSatisfy { $0 == 0 || $0 == 1 })
        let rate = Double(keep.reduce(0, +)) / Double(count)
        #expect(abs(rate - (1 - Double(probability))) <= 0.002, "keep rate \(rate) for p = \(probability)")
        let scaled = Float(1) / (1 - probability)
        #expect(try output.toArray() == keep.map { $0 * scaled })
    }

    @Test(arguments: TestDevice.openCL)
    func dropoutMasksAreBitIdenticalToTheCPU(_ testDevice: TestDevice) throws {
        let count = 250_007
        let stream = RandomStream(seed: 77, offset: 31)
        var masks: [[Float]] = []
        var outputs: [[Float]] = []
        for device in [CPUDevice.shared as any Device, testDevice.device] {
            let x = try randomTensor([count], seed: 3, on: device)
            let output = try poisonedTensor([count], on: device)
            let mask = try poisonedTensor([count], on: device)
            try device.dropout(x, probability: 0.3, stream: stream, into: output, mask: mask)
            masks.append(try mask.toArray())
            outputs.append(try output.toArray())
        }
        #expect(masks[0] == masks[1])
        #expect(outputs[0] == outputs[1])
    }

    @Test(arguments: TestDevice.all)
    func badArgumentsThrow(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let x = try Tensor(uninitializedShape: [8], on: device)
        let short = try Tensor(uninitializedShape: [7], on: device)
        let stream = RandomStream(seed: 1)
        #expect(throws: BackendError.self) { try device.dropout(x, probability: 1, stream: stream, into: x, mask: nil) }
        #expect(throws: BackendError.self) { try device.dropout(x, probability: 0.5, stream: stream, into: short, mask: nil) }
        #expect(throws: BackendError.self) { try device.dropout(x, probability: 0.5, stream: stream, into: x, mask: short) }
        #expect(throws: BackendError.self) {
            try device.dropoutBackward(gradOutput: x, probability: 0.5, mask: .tensor(short), into: x)
        }
        #expect(throws: BackendError.self) { try device.philoxWords(key: .zero, counter: .zero, into: short) }
        #expect(throws: BackendError.self) { try device.uniform(x, low: 1, high: 0, stream: stream) }
        let other: any Device = device.kind == .cpu ? (TestDevice.openCL.first?.device ?? device) : CPUDevice.shared
        if other !== device {
            let foreign = try Tensor(uninitializedShape: [8], on: other)
            #expect(throws: BackendError.self) { try device.normal(foreign, mean: 0, standardDeviation: 1, stream: stream) }
        }
    }
}

import Backend
import Foundation
import Testing
import TestSupport

@Suite struct RandomTests {
    /// Random123's known-answer vectors for Philox-4x32-10: (key, counter, expected words).
    static let knownAnswers: [(SIMD2<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>)] = [
        (SIMD2(0, 0), SIMD4(0, 0, 0, 0), SIMD4(0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8)),
        (SIMD2(repeating: 0xFFFF_FFFF), SIMD4(repeating: 0xFFFF_FFFF), SIMD4(0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD)),
    ]

    @Test func swiftPhiloxMatchesKnownAnswers() {
        for (key, counter, expected) in Self.knownAnswers {
            #expect(Philox.block(key: key, counter: counter) == expected)
        }
    }

    @Test(arguments: TestDevice.all)
    func deviceGeneratorMatchesKnownAnswers(_ testDevice: TestDevice) throws {
        for (key, counter, expected) in Self.knownAnswers {
            let words = try poisonedTensor([8], on: testDevice.device)
            try testDevice.device.philoxWords(key: key, counter: counter, into: words)
            let bits = try words.toArray().map(\.bitPattern)
            #expect(SIMD4(bits[0], bits[1], bits[2], bits[3]) == expected)
            // The second block is the next counter.
            var next = counter
            next[0] &+= 1
            if next[0] == 0 { next[1] &+= 1 }
            let second = Philox.block(key: key, counter: next)
            #expect(SIMD4(bits[4], bits[5], bits[6], bits[7]) == second)
        }
    }

    /// The Double reference: element i's word, from the Swift generator.
    static func word(_ i: Int, _ stream: RandomStream) -> UInt32 {
        let group = UInt64(i / 4)
        let block = Philox.block(
            key: SIMD2(UInt32(truncatingIfNeeded: stream.seed), UInt32(truncatingIfNeeded: stream.seed >> 32)),
            counter: SIMD4(
                UInt32(truncatingIfNeeded: group), UInt32(truncatingIfNeeded: group >> 32),
                UInt32(truncatingIfNeeded: stream.offset), UInt32(truncatingIfNeeded: stream.offset >> 32)))
        return block[i % 4]
    }

    static func unit(_ word: UInt32) -> Double { Double(word >> 8) / 16_777_216 }

    @Test(arguments: TestDevice.all)
    func uniformFillFollowsTheStream(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let stream = RandomStream(seed: 0xDEAD_BEEF_1234, offset: 7)
        for count in [1, 3, 4, 13, 1027] {
            let x = try poisonedTensor([count], on: device)
            try device.uniform(x, low: -2, high: 3, stream: stream)
            let expected = (0..<count).map { -2 + 5 * Self.unit(Self.word($0, stream)) }
            let values = try x.toArray()
            expectClose(values, expected, tolerance: 1e-6, "uniform n=\(count)")
            #expect(values.allSatisfy { $0 >= -2 && $0 < 3 })
        }
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
        let stream = RandomStream(seed: 42, offset: 3)
        let count = 1_000_003
        let x = try poisonedTensor([count], on: device)
        try device.normal(x, mean: 1.5, standardDeviation: 2, stream: stream)
        let values = try x.toArray()
        // Box–Muller in Double on the same words, for the first elements.
        let expected = (0..<1001).map { i -> Double in
            let pair = (i % 4) / 2
            let base = i - i % 4 + 2 * pair
            let radius = (-2 * log(Double((Self.word(base, stream) >> 8) + 1) / 16_777_216)).squareRoot()
            let angle = 2 * Double.pi * Self.unit(Self.word(base + 1, stream))
            return 1.5 + 2 * radius * (i % 2 == 0 ? cos(angle) : sin(angle))
        }
        expectClose(Array(values.prefix(1001)), expected, tolerance: 1e-5, "normal")
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
    func dropoutBackwardMatchesFiniteDifferences(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let shape = [3, 5, 7]
        let count = 105
        let p: Float = 0.4
        let stream = RandomStream(seed: 5, offset: 9)
        let xValues = randomValues(count, seed: 11)
        let upstream = randomValues(count, seed: 12)
        let x = try Tensor(xValues, shape: shape, on: device)
        let output = try poisonedTensor(shape, on: device)
        let mask = try poisonedTensor(shape, on: device)
        try device.dropout(x, probability: p, stream: stream, into: output, mask: mask)
        // Forward in Double from the reference words.
        let keep = (0..<count).map { Self.unit(Self.word($0, stream)) >= Double(p) ? 1.0 : 0.0 }
        let forward = { (x: [Double]) in (0..<count).map { x[$0] * keep[$0] / (1 - Double(p)) } }
        expectClose(try output.toArray(), forward(xValues.map(Double.init)), tolerance: 1e-6, "dropout forward")
        let expected = finiteDifferenceGradient(of: { weightedSum(forward($0), upstream) }, at: xValues.map(Double.init))
        let gradOutput = try Tensor(upstream, shape: shape, on: device)
        for source in [DropoutMask.tensor(mask), .recomputed(stream)] {
            let gradInput = try poisonedTensor(shape, on: device)
            try device.dropoutBackward(gradOutput: gradOutput, probability: p, mask: source, into: gradInput)
            expectClose(try gradInput.toArray(), expected, tolerance: 1e-5, "dropout backward \(source)")
        }
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

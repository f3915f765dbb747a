import Backend
import NN
import TestSupport
import Testing

/// Multi-head attention (with and without masks) and the sequence layers around it, against
/// central differences on every device, and what the masks must hide.
@Suite struct AttentionGradientTests {
    /// A `[2, 4]` keep mask: the first sequence is whole, the second has two padding steps.
    static func paddingMask(on device: any Device) throws -> Variable {
        Variable(try Tensor([1, 1, 1, 1, 1, 1, 0, 0], shape: [2, 4], on: device))
    }

    @Test(arguments: TestDevice.all, [(false, false), (true, false), (false, true), (true, true)])
    func attention(device: TestDevice, masks: (padding: Bool, causal: Bool)) throws {
        let layer = try MultiHeadAttention(dimension: 6, heads: 2, causal: masks.causal, seed: 3, on: device.device)
        for bias in [layer.inProjBias, layer.outProjBias].compactMap({ $0 }) {
            try bias.value.assign(randomValues(bias.value.count, seed: 4))
        }
        let mask = masks.padding ? try Self.paddingMask(on: device.device) : nil
        let check = GradientCheck(forward: { try layer.forward($0, mask: mask, tape: $1) }, parameters: layer.parameters)
        try check.run(input: randomTensor([2, 4, 6], seed: 5, on: device.device), seed: 6)
    }

    @Test(arguments: TestDevice.all)
    func paddingStepsDoNotReachRealSteps(device: TestDevice) throws {
        let layer = try MultiHeadAttention(dimension: 4, heads: 2, seed: 7, on: device.device)
        let mask = try Self.paddingMask(on: device.device)
        var values = randomValues(2 * 4 * 4, seed: 8)
        let before = try layer.forward(Variable(Tensor(values, shape: [2, 4, 4], on: device.device)), mask: mask, tape: .inference())
        for i in 24..<32 { values[i] += 5 }  // the second sequence's padding steps
        let after = try layer.forward(Variable(Tensor(values, shape: [2, 4, 4], on: device.device)), mask: mask, tape: .inference())
        let (old, new) = (try before.value.toArray(), try after.value.toArray())
        expectClose(Array(new[0..<24]), Array(old[0..<24]).map(Double.init), tolerance: 1e-6, "real steps")
        #expect(new[24..<32] != old[24..<32])
    }

    @Test(arguments: TestDevice.all)
    func causalStepsSeeNoLaterStep(device: TestDevice) throws {
        let layer = try MultiHeadAttention(dimension: 4, heads: 1, causal: true, seed: 9, on: device.device)
        var values = randomValues(5 * 4, seed: 10)
        let before = try layer.forward(Variable(Tensor(values, shape: [1, 5, 4], on: device.device)), tape: .inference())
        for i in 12..<20 { values[i] -= 3 }  // steps 3 and 4
        let after = try layer.forward(Variable(Tensor(values, shape: [1, 5, 4], on: device.device)), tape: .inference())
        let (old, new) = (try before.value.toArray(), try after.value.toArray())
        expectClose(Array(new[0..<12]), Array(old[0..<12]).map(Double.init), tolerance: 1e-6, "steps 0 to 2")
        #expect(new[12..<20] != old[12..<20])
    }

    @Test(arguments: TestDevice.all)
    func attentionDropoutDropsWhileTraining(device: TestDevice) throws {
        let layer = try MultiHeadAttention(dimension: 4, heads: 2, dropout: 0.5, seed: 11, on: device.device)
        let x = Variable(try randomTensor([2, 3, 4], seed: 12, on: device.device))
        let evaluated = try layer.forward(x, tape: .inference()).value.toArray()
        let trained = try layer.forward(x, tape: Tape(recording: false, training: true, step: 1)).value.toArray()
        #expect(evaluated != trained)
    }

    @Test(arguments: TestDevice.all, [1, 2, 4])
    func groupedConvolution(device: TestDevice, groups: Int) throws {
        let layer = try Conv2D(
            inputChannels: 4, outputChannels: 4, kernel: 3, padding: 1, activation: .tanh, groups: groups, seed: 13, on: device.device)
        #expect(layer.weight.shape == [4, 4 / groups, 3, 3])
        #expect(try layer.outputShape(for: [4, 5, 5]) == [4, 5, 5])
        try layer.bias?.value.assign(randomValues(4, seed: 14))
        let check = GradientCheck(forward: { try layer.forward($0, tape: $1) }, parameters: layer.parameters)
        try check.run(input: randomTensor([2, 4, 5, 5], seed: 15, on: device.device), seed: 16)
    }

    @Test(arguments: TestDevice.all)
    func groupedConvolutionIsOneConvolutionPerGroup(device: TestDevice) throws {
        let grouped = try Conv2D(inputChannels: 4, outputChannels: 2, kernel: 3, groups: 2, seed: 17, on: device.device)
        let x = try randomTensor([1, 4, 4, 4], seed: 18, on: device.device)
        let result = try grouped.forward(Variable(x), tape: .inference()).value.toArray()
        let values = try x.toArray(), weights = try grouped.weight.value.toArray()
        for group in 0..<2 {
            let single = try Conv2D(inputChannels: 2, outputChannels: 1, kernel: 3, useBias: false, seed: 0, on: device.device)
            try single.weight.value.assign(Array(weights[group * 18..<(group + 1) * 18]))
            let part = try Tensor(Array(values[group * 32..<(group + 1) * 32]), shape: [1, 2, 4, 4], on: device.device)
            let expected = try single.forward(Variable(part), tape: .inference()).value.toArray()
            expectClose(Array(result[group * 4..<(group + 1) * 4]), expected.map(Double.init), tolerance: 1e-5, "group \(group)")
        }
        #expect(throws: BackendError.self) { try Conv2D(inputChannels: 4, outputChannels: 3, kernel: 1, groups: 2, seed: 0, on: device.device) }
    }

    @Test(arguments: TestDevice.all, [(SequencePool.Mode.mean, false), (.mean, true), (.first, false), (.first, true)])
    func sequencePooling(device: TestDevice, pooling: (mode: SequencePool.Mode, masked: Bool)) throws {
        let pool = SequencePool(pooling.mode)
        let mask = pooling.masked ? try Self.paddingMask(on: device.device) : nil
        let check = GradientCheck(forward: { try pool.forward($0, mask: mask, tape: $1) }, parameters: [])
        try check.run(input: randomTensor([2, 4, 3], seed: 19, on: device.device), seed: 20)
    }

    @Test(arguments: TestDevice.all)
    func maskedMeanCountsRealStepsOnly(device: TestDevice) throws {
        let x = try Tensor((0..<8).map(Float.init), shape: [2, 4, 1], on: device.device)
        let pooled = try SequencePool(.mean).forward(Variable(x), mask: Self.paddingMask(on: device.device), tape: .inference())
        #expect(pooled.shape == [2, 1])
        expectClose(try pooled.value.toArray(), [1.5, 4.5], tolerance: 1e-6, "means")
    }

    @Test(arguments: TestDevice.all)
    func positionalEmbeddingAndDenseOnSequences(device: TestDevice) throws {
        let positions = try PositionalEmbedding(steps: 3, features: 4, seed: 21, on: device.device)
        let dense = try Dense(inputs: 4, outputs: 2, activation: .tanh, seed: 22, on: device.device)
        #expect(try dense.outputShape(for: [3, 4]) == [3, 2])
        let model = Sequential([positions, dense])
        let check = GradientCheck(forward: { try model.forward($0, tape: $1) }, parameters: model.parameters)
        try check.run(input: randomTensor([2, 3, 4], seed: 23, on: device.device), seed: 24)
    }

    @Test(arguments: TestDevice.all)
    func paddingMaskMarksThePaddingID(device: TestDevice) throws {
        let ids = Variable(try Tensor([3, 0, 7, 1, 2, 2], shape: [2, 3], on: device.device))
        #expect(try PaddingMask().forward(ids, tape: .inference()).value.toArray() == [1, 0, 1, 1, 1, 1])
        #expect(try PaddingMask(paddingID: 2).forward(ids, tape: .inference()).value.toArray() == [1, 1, 1, 1, 0, 0])
    }
}

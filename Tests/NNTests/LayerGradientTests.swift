import Backend
import NN
import TestSupport
import Testing

@Suite struct LayerGradientTests {
    @Test(arguments: TestDevice.all, [UnaryOp.tanh, .gelu, .sigmoid, .leakyRelu(slope: 0.1)])
    func denseWithActivation(device: TestDevice, activation: UnaryOp) throws {
        let layer = try Dense(inputs: 5, outputs: 3, activation: activation, seed: 7, on: device.device)
        let check = GradientCheck(forward: { try layer.forward($0, tape: $1) }, parameters: layer.parameters)
        try check.run(input: randomTensor([4, 5], seed: 1, on: device.device), seed: 2)
    }

    @Test(arguments: TestDevice.all)
    func batchNormTrainingMode(device: TestDevice) throws {
        let layer = try BatchNorm(channels: 3, spatial: true, on: device.device)
        try layer.gamma.value.assign(randomValues(3, in: 0.5...1.5, seed: 3))
        let check = GradientCheck(forward: { try layer.forward($0, tape: $1) }, parameters: layer.parameters)
        try check.run(input: randomTensor([2, 3, 2, 3], seed: 4, on: device.device), seed: 5)
    }

    @Test(arguments: TestDevice.all)
    func batchNorm1dTrainingMode(device: TestDevice) throws {
        let layer = try BatchNorm(channels: 4, spatial: false, on: device.device)
        try layer.gamma.value.assign(randomValues(4, in: 0.5...1.5, seed: 19))
        let check = GradientCheck(forward: { try layer.forward($0, tape: $1) }, parameters: layer.parameters)
        try check.run(input: randomTensor([5, 4], seed: 20, on: device.device), seed: 21)
    }

    /// A training pass moves the running statistics by momentum toward the batch's mean and
    /// unbiased variance.
    @Test(arguments: TestDevice.all)
    func batchNormUpdatesRunningStatistics(device: TestDevice) throws {
        let layer = try BatchNorm(channels: 2, spatial: true, momentum: 0.5, on: device.device)
        // Channel 0 holds 1, 2, 3, 4 and channel 1 holds 10, 10, 12, 12 (two images of 1×2 each).
        let input = try Tensor([1, 2, 10, 10, 3, 4, 12, 12], shape: [2, 2, 1, 2], on: device.device)
        _ = try layer.forward(Variable(input), tape: Tape())
        expectClose(try layer.runningMean.value.toArray(), [0.5 * 2.5, 0.5 * 11] as [Double], tolerance: 1e-6, "running mean")
        expectClose(
            try layer.runningVariance.value.toArray(), [0.5 + 0.5 * 5.0 / 3, 0.5 + 0.5 * 4.0 / 3] as [Double], tolerance: 1e-6, "running variance")
    }

    @Test(arguments: TestDevice.all)
    func poolingLayers(device: TestDevice) throws {
        let model = Sequential([MaxPool2D(kernel: 2), AvgPool2D(kernel: 2, stride: 1, padding: 1)])
        let check = GradientCheck(forward: { try model.forward($0, tape: $1) }, parameters: [])
        try check.run(input: randomTensor([2, 2, 5, 5], seed: 6, on: device.device), seed: 7)
    }

    @Test(arguments: TestDevice.all)
    func softmaxBroadcastAndReshape(device: TestDevice) throws {
        let bias = Variable(try randomTensor([1, 4], seed: 8, on: device.device), requiresGrad: true, name: "bias")
        let scale = Variable(try randomTensor([3, 1], in: 0.5...2, seed: 9, on: device.device), requiresGrad: true, name: "scale")
        let check = GradientCheck(
            forward: { x, tape in
                let shifted = try tape.div(tape.sub(tape.mul(x, scale), bias), scale)
                return try tape.logSoftmax(tape.reshape(shifted, to: [3, 4]), axis: 1)
            },
            parameters: [bias, scale])
        try check.run(input: randomTensor([3, 4], seed: 10, on: device.device), seed: 11)
    }

    @Test(arguments: TestDevice.all, Loss.allCases)
    func losses(device: TestDevice, loss: Loss) throws {
        let layer = try Dense(inputs: 4, outputs: 3, seed: 12, on: device.device)
        let target: Tensor = switch loss {
        case .crossEntropy: try Tensor([0, 2, 1, 2, 0], shape: [5], on: device.device)
        case .meanSquaredError: try randomTensor([5, 3], seed: 13, on: device.device)
        case .binaryCrossEntropy: try Tensor((0..<15).map { Float($0 % 2) }, shape: [5, 3], on: device.device)
        }
        let check = GradientCheck(
            forward: { x, tape in try loss(layer.forward(x, tape: tape), target, tape: tape) },
            parameters: layer.parameters)
        try check.run(input: randomTensor([5, 4], seed: 14, on: device.device), seed: 15)
    }

    @Test(arguments: TestDevice.all)
    func penalties(device: TestDevice) throws {
        let weight = Variable(try randomTensor([3, 4], seed: 16, on: device.device), requiresGrad: true, name: "weight")
        let check = GradientCheck(
            forward: { x, tape in
                let l2 = try tape.l2Penalty([weight], strength: 0.3)
                let l1 = try tape.l1Penalty([weight], strength: 0.2)
                return try tape.add(tape.add(tape.sum(tape.matmul(x, weight)), #require(l2)), #require(l1))
            },
            parameters: [weight])
        try check.run(input: randomTensor([2, 3], seed: 17, on: device.device), seed: 18)
    }
}

/// The layers of residual and sequence models.
@Suite struct ModernLayerGradientTests {
    @Test(arguments: TestDevice.all)
    func globalAveragePoolingAveragesEachPlane(device: TestDevice) throws {
        let layer = GlobalAveragePool2D()
        let input = try randomTensor([2, 3, 4, 5], seed: 11, on: device.device)
        let output = try layer.forward(Variable(input), tape: .inference())
        #expect(output.shape == [2, 3])
        let values = try input.toArray()
        let expected = (0..<6).map { plane in values[plane * 20..<(plane + 1) * 20].reduce(0, +) / 20 }
        expectClose(try output.value.toArray(), expected.map(Double.init), tolerance: 1e-6, "plane means")
        let check = GradientCheck(forward: { try layer.forward($0, tape: $1) }, parameters: [])
        try check.run(input: input, seed: 12)
    }

    @Test(arguments: TestDevice.all)
    func layerNormNormalizesEachRowAndHasItsGradients(device: TestDevice) throws {
        let layer = try LayerNorm(features: 5, on: device.device)
        try layer.gamma.value.assign(randomValues(5, in: 0.5...1.5, seed: 13))
        try layer.beta.value.assign(randomValues(5, seed: 14))
        let input = try randomTensor([3, 2, 5], seed: 15, on: device.device)
        let output = try layer.forward(Variable(input), tape: .inference())
        // Row by row in Double: (x − mean) / √(var + ε) · γ + β.
        let x = try input.toArray().map(Double.init)
        let gamma = try layer.gamma.value.toArray().map(Double.init), beta = try layer.beta.value.toArray().map(Double.init)
        let expected = (0..<6).flatMap { row -> [Double] in
            let values = Array(x[row * 5..<(row + 1) * 5])
            let mean = values.reduce(0, +) / 5
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 5
            return values.enumerated().map { ($1 - mean) / (variance + 1e-5).squareRoot() * gamma[$0] + beta[$0] }
        }
        expectClose(try output.value.toArray(), expected, tolerance: 1e-4, "layer norm")
        let check = GradientCheck(forward: { try layer.forward($0, tape: $1) }, parameters: layer.parameters)
        try check.run(input: input, seed: 16)
    }
}

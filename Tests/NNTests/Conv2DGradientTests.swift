import Backend
import NN
import TestSupport
import Testing

@Suite struct Conv2DGradientTests {
    @Test(arguments: TestDevice.all)
    func strideTwoWithPaddingAndActivation(device: TestDevice) throws {
        let layer = try Conv2D(
            inputChannels: 3, outputChannels: 4, kernel: 3, stride: 2, padding: 1, activation: .tanh,
            seed: 21, on: device.device)
        try layer.bias?.value.assign(randomValues(4, seed: 22))
        let check = GradientCheck(forward: { try layer.forward($0, tape: $1) }, parameters: layer.parameters)
        try check.run(input: randomTensor([2, 3, 5, 6], seed: 23, on: device.device), seed: 24)
    }

    @Test(arguments: TestDevice.all)
    func dilatedNonSquareKernelWithoutBias(device: TestDevice) throws {
        let layer = try Conv2D(
            inputChannels: 2, outputChannels: 3, kernelHeight: 2, kernelWidth: 3,
            descriptor: Conv2DDescriptor(strideHeight: 1, strideWidth: 2, paddingHeight: 0, paddingWidth: 2, dilationHeight: 2, dilationWidth: 1),
            useBias: false, initializer: .heNormal, seed: 25, on: device.device)
        #expect(layer.parameters.count == 1)
        let check = GradientCheck(forward: { try layer.forward($0, tape: $1) }, parameters: layer.parameters)
        try check.run(input: randomTensor([1, 2, 6, 7], seed: 26, on: device.device), seed: 27)
    }

    /// The same layer twice in one graph: the second backward step accumulates into the
    /// weight and bias gradients that the first one left.
    @Test(arguments: TestDevice.all)
    func sharedLayerAccumulatesGradients(device: TestDevice) throws {
        let layer = try Conv2D(
            inputChannels: 3, outputChannels: 3, kernel: 3, padding: 1, activation: .tanh, seed: 28, on: device.device)
        try layer.bias?.value.assign(randomValues(3, seed: 29))
        let check = GradientCheck(
            forward: { x, tape in try layer.forward(layer.forward(x, tape: tape), tape: tape) },
            parameters: layer.parameters)
        try check.run(input: randomTensor([2, 3, 4, 4], seed: 30, on: device.device), seed: 31)
    }

    @Test(arguments: TestDevice.all)
    func smallNetwork(device: TestDevice) throws {
        let model = Sequential([
            try Conv2D(inputChannels: 2, outputChannels: 3, kernel: 3, padding: 1, activation: .tanh, seed: 32, on: device.device),
            AvgPool2D(kernel: 2),
            Flatten(),
            try Dense(inputs: 12, outputs: 2, seed: 33, on: device.device),
        ])
        #expect(try model.outputShape(for: [2, 4, 4]) == [2])
        let check = GradientCheck(forward: { try model.forward($0, tape: $1) }, parameters: model.parameters)
        try check.run(input: randomTensor([3, 2, 4, 4], seed: 34, on: device.device), seed: 35)
    }

    @Test(arguments: TestDevice.all)
    func shapesAndFanIn(device: TestDevice) throws {
        let layer = try Conv2D(
            inputChannels: 32, outputChannels: 64, kernel: 3, padding: 1, initializer: .heUniform, seed: 36, on: device.device)
        #expect(layer.weight.shape == [64, 32, 3, 3])
        #expect(try layer.outputShape(for: [32, 28, 28]) == [64, 28, 28])
        let limit = (6 / Float(32 * 9)).squareRoot()
        let weights = try layer.weight.value.toArray()
        #expect(weights.allSatisfy { abs($0) <= limit })
        #expect(weights.contains { abs($0) > 0.9 * limit })
        #expect(throws: BackendError.self) {
            try Conv2D(inputChannels: 3, outputChannels: 4, kernel: 3, stride: 0, seed: 1, on: device.device)
        }
        #expect(throws: BackendError.self) { try layer.outputShape(for: [16, 28, 28]) }
    }
}

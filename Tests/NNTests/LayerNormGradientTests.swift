import Backend
import NN
import TestSupport
import Testing

/// The layer-norm layer on its fused op, beyond `LayerGradientTests`' five features: rows that
/// fill the CPU's 8 lanes and leave a tail, checked against central differences on each device.
@Suite struct LayerNormGradientTests {
    @Test(arguments: TestDevice.all)
    func gradientsOfRowsLongerThanTheLanes(device: TestDevice) throws {
        let layer = try LayerNorm(features: 11, on: device.device)
        try layer.gamma.value.assign(randomValues(11, in: 0.5...1.5, seed: 31))
        try layer.beta.value.assign(randomValues(11, seed: 32))
        let check = GradientCheck(forward: { try layer.forward($0, tape: $1) }, parameters: layer.parameters)
        try check.run(input: randomTensor([2, 3, 11], seed: 33, on: device.device), seed: 34)
    }

    /// Two layer norms in a row: the second's input gradient flows into the first, and the
    /// output keeps the input's shape.
    @Test(arguments: TestDevice.all)
    func stackedLayerNormsKeepTheShapeAndTheirGradients(device: TestDevice) throws {
        let first = try LayerNorm(features: 9, on: device.device), second = try LayerNorm(features: 9, on: device.device)
        try second.gamma.value.assign(randomValues(9, in: 0.5...1.5, seed: 35))
        let input = try randomTensor([4, 9], seed: 36, on: device.device)
        #expect(try second.forward(first.forward(Variable(input), tape: .inference()), tape: .inference()).shape == [4, 9])
        let check = GradientCheck(
            forward: { try second.forward(first.forward($0, tape: $1), tape: $1) }, parameters: first.parameters + second.parameters)
        try check.run(input: input, seed: 37)
    }
}

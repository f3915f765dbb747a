import Backend
import Parity
import Testing
import TestSupport

/// The fused layer norm beyond `ParityTests`: its parity cases on their own (so
/// `--filter LayerNormalizationTests` runs them), its shape checks, and a backward without an
/// input gradient.
@Suite struct LayerNormalizationTests {
    @Test(arguments: TestDevice.all)
    func matchesTheReference(device: TestDevice) {
        for parityCase in ParityCatalog.layerNormalization { expectParity(parityCase, on: device.device) }
    }

    @Test(arguments: TestDevice.openCL)
    func agreesWithTheCPU(device: TestDevice) {
        for parityCase in ParityCatalog.layerNormalization { expectAgreementWithTheCPU(parityCase, on: device.device) }
    }

    @Test(arguments: TestDevice.all)
    func rejectsTensorsOfOtherSizes(device: TestDevice) throws {
        let d = device.device
        let input = try Tensor(repeating: 1, shape: [2, 3, 4], on: d)
        let four = try Tensor(repeating: 1, shape: [4], on: d), three = try Tensor(repeating: 1, shape: [3], on: d)
        let six = try Tensor(repeating: 0, shape: [6], on: d)
        let output = try Tensor(repeating: 0, shape: [2, 3, 4], on: d), short = try Tensor(repeating: 0, shape: [2, 3, 3], on: d)
        #expect(throws: BackendError.self) {
            try d.layerNorm(input, gamma: three, beta: four, epsilon: 1e-5, into: output, mean: six, inverseStd: six)
        }
        #expect(throws: BackendError.self) {
            try d.layerNorm(input, gamma: four, beta: four, epsilon: 1e-5, into: short, mean: six, inverseStd: six)
        }
        #expect(throws: BackendError.self) {
            try d.layerNorm(input, gamma: four, beta: four, epsilon: 1e-5, into: output, mean: three, inverseStd: six)
        }
        #expect(throws: BackendError.self) {
            try d.layerNormBackward(
                gradOutput: short, input: input, gamma: four, mean: six, inverseStd: six, gradInput: nil, gradGamma: four,
                gradBeta: four)
        }
    }

    /// Without `gradInput`, backward still writes the gamma and beta gradients, the same as with it.
    @Test(arguments: TestDevice.all)
    func parameterGradientsWithoutTheInputGradient(device: TestDevice) throws {
        let d = device.device
        let shape = [9, 12]
        let input = try Tensor(randomValues(108, in: -2...3, seed: 1), shape: shape, on: d)
        let gamma = try Tensor(randomValues(12, in: 0.5...2, seed: 2), shape: [12], on: d)
        let beta = try Tensor(randomValues(12, seed: 3), shape: [12], on: d)
        let upstream = try Tensor(randomValues(108, seed: 4), shape: shape, on: d)
        let output = try Tensor(repeating: 0, shape: shape, on: d)
        let mean = try Tensor(repeating: 0, shape: [9], on: d), inverseStd = try Tensor(repeating: 0, shape: [9], on: d)
        try d.layerNorm(input, gamma: gamma, beta: beta, epsilon: 1e-5, into: output, mean: mean, inverseStd: inverseStd)
        func parameterGradients(withInput: Bool) throws -> [Float] {
            let gradGamma = try Tensor(repeating: 7, shape: [12], on: d), gradBeta = try Tensor(repeating: 7, shape: [12], on: d)
            try d.layerNormBackward(
                gradOutput: upstream, input: input, gamma: gamma, mean: mean, inverseStd: inverseStd,
                gradInput: withInput ? try Tensor(repeating: 0, shape: shape, on: d) : nil, gradGamma: gradGamma, gradBeta: gradBeta)
            return try gradGamma.toArray() + gradBeta.toArray()
        }
        let alone = try parameterGradients(withInput: false)
        #expect(alone == (try parameterGradients(withInput: true)))
        // gradBeta is the column sums of the upstream gradient.
        let dy = try upstream.toArray()
        let sums = (0..<12).map { f in (0..<9).reduce(0.0) { $0 + Double(dy[$1 * 12 + f]) } }
        expectClose(Array(alone[12...]), sums, tolerance: 1e-5, "beta gradient")
    }
}

import Backend
import Parity
import Testing
import TestSupport

/// The CPU batch norm sweeps its channels in blocks, image by image (`BatchNormBlocks`); each
/// channel must still get exactly what it gets on its own. The shapes make several blocks, the
/// last one short, and runs that end in fewer than 8 values.
@Suite struct CPUBatchNormBlockTests {
    @Test(arguments: [false, true], [(batch: 3, channels: 5, spatial: 8192), (batch: 3, channels: 700, spatial: 37)])
    func eachChannelMatchesItsOwnBatchNorm(relu: Bool, size: (batch: Int, channels: Int, spatial: Int)) throws {
        let device = CPUDevice(threads: 2)
        let (batch, channels, spatial) = (size.batch, size.channels, size.spatial)
        let count = batch * channels * spatial
        let x = randomValues(count, in: -2...3, seed: 11), upstream = randomValues(count, seed: 12)
        let gamma = randomValues(channels, in: 0.5...2, seed: 13), beta = randomValues(channels, seed: 14)
        let whole = try Self.run(
            device, x: x, upstream: upstream, gamma: gamma, beta: beta, shape: [batch, channels, spatial], relu: relu)
        /// The values of channel c in `values` laid out as [N, C, S].
        func channel(_ values: [Float], _ c: Int) -> [Float] {
            var picked: [Float] = []
            for n in 0..<batch {
                let start = (n * channels + c) * spatial
                picked += values[start..<(start + spatial)]
            }
            return picked
        }
        for c in [0, 1, channels / 2, channels - 1] {
            let alone = try Self.run(
                device, x: channel(x, c), upstream: channel(upstream, c), gamma: [gamma[c]], beta: [beta[c]],
                shape: [batch, 1, spatial], relu: relu)
            #expect(channel(whole.output, c) == alone.output, "output of channel \(c)")
            #expect(channel(whole.gradInput, c) == alone.gradInput, "input gradient of channel \(c)")
            #expect([whole.mean[c], whole.variance[c]] == alone.mean + alone.variance, "statistics of channel \(c)")
            #expect([whole.gradGamma[c], whole.gradBeta[c]] == alone.gradGamma + alone.gradBeta, "gamma and beta gradients of channel \(c)")
        }
    }

    /// Forward and backward of one batch norm (with the fused ReLU when `relu`).
    static func run(
        _ device: CPUDevice, x: [Float], upstream: [Float], gamma: [Float], beta: [Float], shape: [Int], relu: Bool
    ) throws -> (output: [Float], mean: [Float], variance: [Float], gradInput: [Float], gradGamma: [Float], gradBeta: [Float]) {
        let channels = [shape[1]]
        let input = try Tensor(x, shape: shape, on: device), scale = try Tensor(gamma, shape: channels, on: device)
        let output = try Tensor.zeros(shape, on: device), gradInput = try Tensor.zeros(shape, on: device)
        let mean = try Tensor.zeros(channels, on: device), variance = try Tensor.zeros(channels, on: device)
        let gradGamma = try Tensor.zeros(channels, on: device), gradBeta = try Tensor.zeros(channels, on: device)
        try device.batchNorm(
            input, gamma: scale, beta: Tensor(beta, shape: channels, on: device), epsilon: 1e-5, relu: relu, into: output,
            mean: mean, variance: variance)
        try device.batchNormBackward(
            gradOutput: Tensor(upstream, shape: shape, on: device), input: input, gamma: scale, mean: mean, variance: variance,
            epsilon: 1e-5, reluOutput: relu ? output : nil, gradInput: gradInput, gradGamma: gradGamma, gradBeta: gradBeta)
        return (
            try output.toArray(), try mean.toArray(), try variance.toArray(), try gradInput.toArray(), try gradGamma.toArray(),
            try gradBeta.toArray()
        )
    }
}

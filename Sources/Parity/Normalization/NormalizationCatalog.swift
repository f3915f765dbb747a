import Backend
import Foundation

extension ParityCatalog {
    /// Fused batch normalization forward (output and batch statistics) and backward (the input,
    /// gamma and beta gradients against central differences of the Double forward pass), for
    /// `[N, C]` and `[N, C, S]` inputs; and the same with the fused ReLU.
    public static let normalization: [ParityCase] = [
        NormalizationCatalog.forward, NormalizationCatalog.backward, NormalizationCatalog.forwardReLU,
        NormalizationCatalog.backwardReLU,
    ]
}

/// The batch-norm cases and their Double reference.
enum NormalizationCatalog {
    static let family = "normalization"
    static let epsilon: Float = 1e-5

    /// (batch, channels, spatial).
    static let sizes = [(4, 3, 1), (2, 3, 5), (3, 2, 37), (1, 4, 9)]

    /// `(output, mean, variance)` of batch norm in Double.
    static func reference(x: [Double], gamma: [Double], beta: [Double], batch: Int, channels: Int, spatial: Int)
        -> (output: [Double], mean: [Double], variance: [Double])
    {
        var output = [Double](repeating: 0, count: x.count)
        var means = [Double](repeating: 0, count: channels), variances = means
        let count = Double(batch * spatial)
        for c in 0..<channels {
            var indices: [Int] = []
            for n in 0..<batch {
                let start = (n * channels + c) * spatial
                indices += start..<(start + spatial)
            }
            var sum: Double = 0
            for k in indices { sum += x[k] }
            let mean = sum / count
            var squares: Double = 0
            for k in indices { squares += (x[k] - mean) * (x[k] - mean) }
            let variance = squares / count
            for k in indices { output[k] = (x[k] - mean) / (variance + Double(epsilon)).squareRoot() * gamma[c] + beta[c] }
            (means[c], variances[c]) = (mean, variance)
        }
        return (output, means, variances)
    }

    static func checks(_ trial: @escaping @Sendable (_ batch: Int, _ channels: Int, _ spatial: Int) -> ParityTrial) -> [ParityCheck] {
        sizes.map { batch, channels, spatial in
            ParityCheck(shape: [batch, channels, spatial], variant: spatial == 1 ? "[N, C]" : "[N, C, S]") {
                trial(batch, channels, spatial)
            }
        }
    }

    static let forward = ParityCase(family: family, op: "batchNorm", tolerance: 1e-5, checks: checks { batch, channels, spatial in
        let x = randomValues(batch * channels * spatial, in: -2...3, seed: 101)
        let gamma = randomValues(channels, in: 0.5...2, seed: 102), beta = randomValues(channels, seed: 103)
        return ParityTrial(
            run: { device in
                let output = try poisonedTensor([batch, channels, spatial], on: device)
                let mean = try poisonedTensor([channels], on: device), variance = try poisonedTensor([channels], on: device)
                try device.batchNorm(
                    Tensor(x, shape: [batch, channels, spatial], on: device), gamma: Tensor(gamma, shape: [channels], on: device),
                    beta: Tensor(beta, shape: [channels], on: device), epsilon: epsilon, into: output, mean: mean, variance: variance)
                return try output.toArray() + mean.toArray() + variance.toArray()
            },
            reference: {
                let result = reference(
                    x: x.map(Double.init), gamma: gamma.map(Double.init), beta: beta.map(Double.init), batch: batch,
                    channels: channels, spatial: spatial)
                return result.output + result.mean + result.variance
            })
    })

    /// The gradients of the input, gamma and beta for a random upstream gradient.
    static let backward = ParityCase(family: family, op: "batchNormBackward", tolerance: 1e-4, checks: checks { batch, channels, spatial in
        let count = batch * channels * spatial
        let x = randomValues(count, in: -2...3, seed: 104)
        let gamma = randomValues(channels, in: 0.5...2, seed: 105), beta = randomValues(channels, seed: 106)
        let upstream = randomValues(count, seed: 107)
        return ParityTrial(
            run: { device in
                let shape = [batch, channels, spatial]
                let input = try Tensor(x, shape: shape, on: device), scale = try Tensor(gamma, shape: [channels], on: device)
                let output = try poisonedTensor(shape, on: device)
                let mean = try poisonedTensor([channels], on: device), variance = try poisonedTensor([channels], on: device)
                try device.batchNorm(
                    input, gamma: scale, beta: Tensor(beta, shape: [channels], on: device), epsilon: epsilon, into: output,
                    mean: mean, variance: variance)
                let gradInput = try poisonedTensor(shape, on: device)
                let gradGamma = try poisonedTensor([channels], on: device), gradBeta = try poisonedTensor([channels], on: device)
                try device.batchNormBackward(
                    gradOutput: Tensor(upstream, shape: shape, on: device), input: input, gamma: scale, mean: mean,
                    variance: variance, epsilon: epsilon, gradInput: gradInput, gradGamma: gradGamma, gradBeta: gradBeta)
                return try gradInput.toArray() + gradGamma.toArray() + gradBeta.toArray()
            },
            reference: {
                finiteDifferenceGradient(
                    of: { values in
                        let result = reference(
                            x: Array(values[0..<count]), gamma: Array(values[count..<count + channels]),
                            beta: Array(values[(count + channels)...]), batch: batch, channels: channels, spatial: spatial)
                        return weightedSum(result.output, upstream)
                    },
                    at: (x + gamma + beta).map(Double.init))
            })
    })
}

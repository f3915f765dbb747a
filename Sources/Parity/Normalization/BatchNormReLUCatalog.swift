import Backend
import Foundation

/// Batch norm with its fused ReLU (`relu: true` forward, `reluOutput:` backward).
extension NormalizationCatalog {
    static let forwardReLU = ParityCase(
        family: family, op: "batchNorm+relu", tolerance: 1e-5, checks: checks { batch, channels, spatial in
            let x = randomValues(batch * channels * spatial, in: -2...3, seed: 111)
            let gamma = randomValues(channels, in: 0.5...2, seed: 112), beta = randomValues(channels, seed: 113)
            return ParityTrial(
                run: { device in
                    let output = try poisonedTensor([batch, channels, spatial], on: device)
                    let mean = try poisonedTensor([channels], on: device), variance = try poisonedTensor([channels], on: device)
                    try device.batchNorm(
                        Tensor(x, shape: [batch, channels, spatial], on: device), gamma: Tensor(gamma, shape: [channels], on: device),
                        beta: Tensor(beta, shape: [channels], on: device), epsilon: epsilon, relu: true, into: output, mean: mean,
                        variance: variance)
                    return try output.toArray() + mean.toArray() + variance.toArray()
                },
                reference: {
                    let result = reference(
                        x: x.map(Double.init), gamma: gamma.map(Double.init), beta: beta.map(Double.init), batch: batch,
                        channels: channels, spatial: spatial)
                    return result.output.map { max($0, 0) } + result.mean + result.variance
                })
        })

    /// The gradients of the input, gamma and beta through the ReLU, against central differences
    /// (the seeds keep every output well away from the ReLU's kink at 0).
    static let backwardReLU = ParityCase(
        family: family, op: "batchNormBackward+relu", tolerance: 1e-4, checks: checks { batch, channels, spatial in
            let count = batch * channels * spatial
            let x = randomValues(count, in: -2...3, seed: 114)
            let gamma = randomValues(channels, in: 0.5...2, seed: 115), beta = randomValues(channels, seed: 116)
            let upstream = randomValues(count, seed: 117)
            return ParityTrial(
                run: { device in
                    let shape = [batch, channels, spatial]
                    let input = try Tensor(x, shape: shape, on: device), scale = try Tensor(gamma, shape: [channels], on: device)
                    let output = try poisonedTensor(shape, on: device)
                    let mean = try poisonedTensor([channels], on: device), variance = try poisonedTensor([channels], on: device)
                    try device.batchNorm(
                        input, gamma: scale, beta: Tensor(beta, shape: [channels], on: device), epsilon: epsilon, relu: true,
                        into: output, mean: mean, variance: variance)
                    let gradInput = try poisonedTensor(shape, on: device)
                    let gradGamma = try poisonedTensor([channels], on: device), gradBeta = try poisonedTensor([channels], on: device)
                    try device.batchNormBackward(
                        gradOutput: Tensor(upstream, shape: shape, on: device), input: input, gamma: scale, mean: mean,
                        variance: variance, epsilon: epsilon, reluOutput: output, gradInput: gradInput, gradGamma: gradGamma,
                        gradBeta: gradBeta)
                    return try gradInput.toArray() + gradGamma.toArray() + gradBeta.toArray()
                },
                reference: {
                    finiteDifferenceGradient(
                        of: { values in
                            let result = reference(
                                x: Array(values[0..<count]), gamma: Array(values[count..<count + channels]),
                                beta: Array(values[(count + channels)...]), batch: batch, channels: channels, spatial: spatial)
                            return weightedSum(result.output.map { max($0, 0) }, upstream)
                        },
                        at: (x + gamma + beta).map(Double.init))
                })
        })
}

/// Batch normalization in training mode, fused: the statistics and the normalization in one op
/// forward, and every gradient in one op backward, instead of a dozen elementwise passes over
/// the activation each way.
///
/// The input is `[N, C, …]`, seen as `[N, C, S]` with `S` the product of the dimensions after
/// the channel (1 for `[N, C]`); each channel is normalized over its `M = N·S` values.
public protocol NormalizationOps {
    /// Per channel `c`: the mean `μ` and the biased variance `σ²` of its values (written to `mean`
    /// and `variance`, `[C]`), then `output = (x − μ) / sqrt(σ² + epsilon) · gamma[c] + beta[c]`,
    /// or `max(0, …)` of it when `relu` (batch norm followed by ReLU, fused).
    func batchNorm(
        _ input: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float, relu: Bool, into output: Tensor, mean: Tensor,
        variance: Tensor
    ) throws
    /// The gradients of `batchNorm` from the output's gradient, with the `mean` and `variance` it
    /// wrote: `gradBeta = Σ dy`, `gradGamma = Σ dy · x̂` per channel (overwritten), and, when
    /// `gradInput` is given, `gradInput = gamma / sqrt(σ² + ε) · (dy − gradBeta/M − x̂ · gradGamma/M)`
    /// with `x̂ = (x − μ) / sqrt(σ² + ε)`. With `reluOutput` (the output of a `relu` forward),
    /// `dy` is the ReLU's output gradient, masked where `reluOutput > 0` before all of that.
    func batchNormBackward(
        gradOutput: Tensor, input: Tensor, gamma: Tensor, mean: Tensor, variance: Tensor, epsilon: Float,
        reluOutput: Tensor?, gradInput: Tensor?, gradGamma: Tensor, gradBeta: Tensor
    ) throws
}

extension NormalizationOps {
    /// Batch normalization without the fused ReLU.
    public func batchNorm(
        _ input: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float, into output: Tensor, mean: Tensor, variance: Tensor
    ) throws {
        try batchNorm(input, gamma: gamma, beta: beta, epsilon: epsilon, relu: false, into: output, mean: mean, variance: variance)
    }

    /// The gradients of batch normalization without the fused ReLU.
    public func batchNormBackward(
        gradOutput: Tensor, input: Tensor, gamma: Tensor, mean: Tensor, variance: Tensor, epsilon: Float,
        gradInput: Tensor?, gradGamma: Tensor, gradBeta: Tensor
    ) throws {
        try batchNormBackward(
            gradOutput: gradOutput, input: input, gamma: gamma, mean: mean, variance: variance, epsilon: epsilon,
            reluOutput: nil, gradInput: gradInput, gradGamma: gradGamma, gradBeta: gradBeta)
    }
}

/// The sizes of one batch-norm op, checked: `batch` × `channels` planes of `spatial` values.
struct BatchNormPlan {
    let batch: Int
    let channels: Int
    let spatial: Int

    /// Values per channel (`N·S`).
    var perChannel: Int { batch * spatial }

    /// Checks that `input` is `[N, C, …]`, that the `values` tensors have its element count, that
    /// the `perChannel` tensors have `C`, and that every tensor lives on `device`.
    init(_ op: String, input: Tensor, values: [Tensor?], perChannel: [Tensor], on device: any DeviceCore) throws {
        guard input.rank >= 2, input.shape[0] > 0, input.shape[1] > 0 else {
            throw BackendError.shapeMismatch(op: op, detail: "the input must be [N, C, …] with N, C > 0, has shape \(input.shape)")
        }
        (batch, channels) = (input.shape[0], input.shape[1])
        spatial = input.count / (batch * channels)
        for tensor in values.compactMap({ $0 }) where tensor.count != input.count {
            throw BackendError.shapeMismatch(
                op: op, detail: "a tensor of \(tensor.count) elements beside an input of shape \(input.shape)")
        }
        for tensor in perChannel where tensor.count != channels {
            throw BackendError.shapeMismatch(
                op: op, detail: "a per-channel tensor of \(tensor.count) elements for \(channels) channels")
        }
        for tensor in [input] + values.compactMap({ $0 }) + perChannel { try device.checkOwnership(tensor, op: op) }
    }
}

import Backend

extension Tape {
    /// Batch normalization with batch statistics (training mode) as one fused op: `x` is
    /// `[N, C, …]`, `gamma` and `beta` are `[C]`. With `relu`, the output is `max(0, …)` of the
    /// normalized values (batch norm then ReLU in the same op). Returns the output and the batch's
    /// per-channel mean and biased variance (`[C]`, for the running statistics). Backward gives
    /// the gradients of `x`, `gamma` and `beta` in one op.
    public func batchNorm(_ x: Variable, gamma: Variable, beta: Variable, epsilon: Float, relu: Bool = false) throws
        -> (output: Variable, mean: Tensor, variance: Tensor)
    {
        let device = x.device
        let channels = gamma.value.count
        let result = try output(x.shape, on: device)
        let mean = try output([channels], on: device)
        let variance = try output([channels], on: device)
        try device.batchNorm(
            x.value, gamma: gamma.value, beta: beta.value, epsilon: epsilon, relu: relu, into: result, mean: mean,
            variance: variance)
        let (input, scale) = (x.value, gamma.value)
        let mask = relu ? result : nil
        let normalized = record(result, inputs: [x, gamma, beta]) { gradient in
            let gradInput = x.requiresGrad ? try output(x.shape, on: device) : nil
            let gradGamma = try output([channels], on: device)
            let gradBeta = try output([channels], on: device)
            try device.batchNormBackward(
                gradOutput: gradient, input: input, gamma: scale, mean: mean, variance: variance, epsilon: epsilon,
                reluOutput: mask, gradInput: gradInput, gradGamma: gradGamma, gradBeta: gradBeta)
            if let gradInput { try x.accumulate(gradInput, owned: true) }
            try gamma.accumulate(gradGamma, owned: true)
            try beta.accumulate(gradBeta, owned: true)
        }
        return (normalized, mean, variance)
    }
}

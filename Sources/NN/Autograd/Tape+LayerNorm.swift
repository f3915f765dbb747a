import Backend

extension Tape {
    /// Layer normalization over the last dimension as one fused op: `x` is `[…, F]`, `gamma` and
    /// `beta` are `[F]`. Each row is centred, divided by its standard deviation (biased, plus
    /// `epsilon`), scaled by `gamma` and shifted by `beta`. Backward gives the gradients of `x`,
    /// `gamma` and `beta` in one op, from the per-row mean and inverse standard deviation that
    /// forward saved.
    public func layerNorm(_ x: Variable, gamma: Variable, beta: Variable, epsilon: Float) throws -> Variable {
        let device = x.device
        let features = gamma.value.count
        let rows = x.value.count / max(features, 1)
        let result = try output(x.shape, on: device)
        let mean = try output([rows], on: device)
        let inverseStd = try output([rows], on: device)
        try device.layerNorm(
            x.value, gamma: gamma.value, beta: beta.value, epsilon: epsilon, into: result, mean: mean, inverseStd: inverseStd)
        let (input, scale) = (x.value, gamma.value)
        return record(result, inputs: [x, gamma, beta]) { gradient in
            let gradInput = x.requiresGrad ? try output(x.shape, on: device) : nil
            let gradGamma = try output([features], on: device)
            let gradBeta = try output([features], on: device)
            try device.layerNormBackward(
                gradOutput: gradient, input: input, gamma: scale, mean: mean, inverseStd: inverseStd,
                gradInput: gradInput, gradGamma: gradGamma, gradBeta: gradBeta)
            if let gradInput { try x.accumulate(gradInput, owned: true) }
            try gamma.accumulate(gradGamma, owned: true)
            try beta.accumulate(gradBeta, owned: true)
        }
    }
}

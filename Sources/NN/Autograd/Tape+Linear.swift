import Backend

extension Tape {
    /// `a · b` for a of shape `[m, k]` and b of shape `[k, n]`.
    public func matmul(_ a: Variable, _ b: Variable) throws -> Variable {
        guard a.shape.count == 2, b.shape.count == 2, a.shape[1] == b.shape[0] else {
            throw BackendError.shapeMismatch(op: "matmul", detail: "\(a.shape) · \(b.shape)")
        }
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        let device = a.device
        let result = try output([m, n], on: device)
        try device.gemm(GemmDescriptor(m: m, n: n, k: k), a: a.value, b: b.value, c: result)
        return record(result, inputs: [a, b]) { gradient in
            try accumulateMatmulGradients(a, b, gradient)
        }
    }

    /// `activation(x · weight + bias)` for x of shape `[batch, in]`, weight `[in, out]`, bias `[out]`.
    ///
    /// With a bias and an activation whose derivative follows from its output (ReLU, leaky
    /// ReLU, sigmoid, tanh, or none), this is one GEMM and one fused bias + activation kernel,
    /// and the backward pass is one fused kernel (activation derivative and bias gradient) and
    /// the GEMMs; other activations run as separate ops.
    public func linear(
        _ x: Variable, weight: Variable, bias: Variable?, activation: UnaryOp? = nil
    ) throws -> Variable {
        guard let bias, activation?.derivativeFollowsFromOutput ?? true else {
            var result = try matmul(x, weight)
            if let bias { result = try addBias(result, bias) }
            if let activation { result = try apply(activation, result) }
            return result
        }
        guard x.shape.count == 2, weight.shape.count == 2, x.shape[1] == weight.shape[0], bias.shape == [weight.shape[1]] else {
            throw BackendError.shapeMismatch(op: "linear", detail: "\(x.shape) · \(weight.shape) + \(bias.shape)")
        }
        let (m, k, n) = (x.shape[0], x.shape[1], weight.shape[1])
        let device = x.device
        let result = try output([m, n], on: device)
        try device.gemm(GemmDescriptor(m: m, n: n, k: k), a: x.value, b: weight.value, c: result)
        try device.biasActivation(result, bias: bias.value, activation: activation, into: result)
        return record(result, inputs: [x, weight, bias]) { gradient in
            // The output's gradient is this op's alone: it becomes the pre-activation gradient in place.
            if bias.requiresGrad {
                try accumulateGradient(into: bias) { target, accumulate in
                    try device.biasActivationBackward(
                        activation, output: result, gradOutput: gradient, into: gradient, gradBias: target, accumulate: accumulate)
                }
            } else if let activation {
                try device.activationBackward(activation, output: result, gradOutput: gradient, into: gradient)
            }
            try accumulateMatmulGradients(x, weight, gradient)
        }
    }

    /// `x + bias` with bias broadcast over the rows of x (`[rows, cols]` + `[cols]`).
    public func addBias(_ x: Variable, _ bias: Variable) throws -> Variable {
        guard let columns = x.shape.last, bias.shape == [columns] else {
            throw BackendError.shapeMismatch(op: "addBias", detail: "bias \(bias.shape) for input \(x.shape)")
        }
        let device = x.device
        let result = try output(x.shape, on: device)
        try device.biasActivation(x.value, bias: bias.value, activation: nil, into: result)
        return record(result, inputs: [x, bias]) { gradient in
            try x.accumulate(gradient, owned: false)
            if bias.requiresGrad {
                let rows = gradient.count / columns
                let summed = try output([columns], on: device)
                try device.reduce(.sum, gradient.reshaped([rows, columns]), axis: 0, into: summed)
                try bias.accumulate(summed, owned: true)
            }
        }
    }
}

/// The backward pass of `a · b` (a `[m, k]`, b `[k, n]`) for the product's gradient `dC`:
/// `dA = dC · Bᵀ` and `dB = Aᵀ · dC`, into the variables that require them.
private func accumulateMatmulGradients(_ a: Variable, _ b: Variable, _ gradient: Tensor) throws {
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    if a.requiresGrad {
        try accumulateProduct(into: a, GemmDescriptor(m: m, n: k, k: n, transposeB: true), gradient, b.value)
    }
    if b.requiresGrad {
        try accumulateProduct(into: b, GemmDescriptor(m: k, n: n, k: m, transposeA: true), a.value, gradient)
    }
}

/// Adds `left · right` (as `descriptor` describes) into `variable.grad`, in place when a
/// gradient is already there (GEMM with beta = 1).
func accumulateProduct(
    into variable: Variable, _ descriptor: GemmDescriptor, _ left: Tensor, _ right: Tensor
) throws {
    try accumulateGradient(into: variable) { target, accumulate in
        var product = descriptor
        product.beta = accumulate ? 1 : 0
        try variable.device.gemm(product, a: left, b: right, c: target)
    }
}

import Backend

extension Tape {
    /// `scale · a · op(b)` for each entry of a batch: a `[batch, m, k]`, b `[batch, k, n]` (or
    /// `[batch, n, k]` with `transposeB`), giving `[batch, m, n]`; one strided-batched GEMM
    /// forward and one per input backward.
    public func batchedMatmul(_ a: Variable, _ b: Variable, transposeB: Bool = false, scale: Float = 1) throws -> Variable {
        guard a.shape.count == 3, b.shape.count == 3, a.shape[0] == b.shape[0],
              a.shape[2] == (transposeB ? b.shape[2] : b.shape[1])
        else {
            throw BackendError.shapeMismatch(op: "batchedMatmul", detail: "\(a.shape) · \(b.shape)\(transposeB ? " transposed" : "")")
        }
        let (batch, m, k) = (a.shape[0], a.shape[1], a.shape[2])
        let n = transposeB ? b.shape[1] : b.shape[2]
        let device = a.device
        let result = try output([batch, m, n], on: device)
        try device.gemm(
            GemmDescriptor(m: m, n: n, k: k, transposeB: transposeB, alpha: scale, batch: batch), a: a.value, b: b.value, c: result)
        return record(result, inputs: [a, b]) { gradient in
            // dA = scale · dC · op(B)ᵀ.
            try accumulateProduct(
                into: a, GemmDescriptor(m: m, n: k, k: n, transposeB: !transposeB, alpha: scale, batch: batch), gradient, b.value)
            if transposeB {
                // B is [n, k]: dB = scale · dCᵀ · A.
                try accumulateProduct(
                    into: b, GemmDescriptor(m: n, n: k, k: m, transposeA: true, alpha: scale, batch: batch), gradient, a.value)
            } else {
                // B is [k, n]: dB = scale · Aᵀ · dC.
                try accumulateProduct(
                    into: b, GemmDescriptor(m: k, n: n, k: m, transposeA: true, alpha: scale, batch: batch), a.value, gradient)
            }
        }
    }
}

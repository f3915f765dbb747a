import Backend

/// GEMM in Double, written independently of the backend.
public enum GemmReference {
    /// `C` as `d` leaves it; elements outside every batch's C keep their value.
    public static func gemm(_ d: GemmDescriptor, a: [Float], b: [Float], c: [Float]) -> [Double] {
        var result = c.map(Double.init)
        for batch in 0..<d.batch {
            let aBase = batch * d.strideA, bBase = batch * d.strideB, cBase = batch * d.strideC
            for i in 0..<d.m {
                for j in 0..<d.n {
                    var sum = 0.0
                    for p in 0..<d.k {
                        let aValue = a[aBase + (d.transposeA ? p * d.lda + i : i * d.lda + p)]
                        let bValue = b[bBase + (d.transposeB ? j * d.ldb + p : p * d.ldb + j)]
                        sum += Double(aValue) * Double(bValue)
                    }
                    let index = cBase + i * d.ldc + j
                    let scaled = Double(d.alpha) * sum
                    result[index] = d.beta == 0 ? scaled : scaled + Double(d.beta) * Double(c[index])
                }
            }
        }
        return result
    }

    /// Element counts A, B and C need for `d`.
    public static func counts(_ d: GemmDescriptor) -> (a: Int, b: Int, c: Int) {
        func needed(_ stride: Int, _ size: Int) -> Int { size == 0 ? 0 : (d.batch - 1) * stride + size }
        return (needed(d.strideA, d.m * d.k), needed(d.strideB, d.k * d.n), needed(d.strideC, d.m * d.n))
    }
}

extension Device {
    /// Runs `descriptor` on `path` where this device offers it, on its own path otherwise (an
    /// agreement check runs an OpenCL device's cases on the CPU device too).
    public func gemm(_ descriptor: GemmDescriptor, a: Tensor, b: Tensor, c: Tensor, preferring path: GemmPath) throws {
        try gemm(descriptor, a: a, b: b, c: c, path: gemmPaths.contains(path) ? path : gemmPath)
    }
}

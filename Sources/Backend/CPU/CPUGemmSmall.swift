extension CPUDevice {
    /// The most multiply-adds a matrix may take for `smallGemm`: below it, packing the operands
    /// for the register kernels and calling them costs more than the product (the attention's
    /// per-head products of a short sequence).
    static let smallProductWork = 1 << 15

    /// `C = alpha * op(A)·op(B) + beta * C` on the calling thread for a small matrix: op(B) is
    /// copied once into a contiguous `[k, n]` block, its rows padded with zeros to whole
    /// eights; then C is computed four rows by eight columns at a time (four independent sums,
    /// each loaded column of B used four times), each depth summed in order. Multiplies and
    /// adds, not `addingProduct`: without a target CPU flag that is a call of libm's `fmaf` per
    /// lane.
    func smallGemm(_ x: GemmMatrixOperands) {
        let (m, n, k) = (x.m, x.n, x.k)
        let width = (n + 7) / 8 * 8
        withUnsafeTemporaryAllocation(of: Float.self, capacity: k * width) { block in
            guard let b = block.baseAddress else { return }
            for p in 0..<k {
                let packed = b + p * width
                if x.descriptor.transposeB {
                    for j in 0..<n { packed[j] = x.b[j * x.ldb + p] }
                } else {
                    packed.update(from: x.b + p * x.ldb, count: n)
                }
                for j in n..<width { packed[j] = 0 }
            }
            /// Writes `alpha · sum + beta · C` into columns `left ..< left + 8` (as many as C has) of row `i`.
            func store(_ sum: SIMD8<Float>, row i: Int, left: Int) {
                let row = x.c + i * x.ldc
                let lanes = min(8, n - left)
                var result = x.alpha * sum
                if x.beta != 0 { result += x.beta * VectorMath.load(row + left, lanes: lanes) }
                VectorMath.store(result, row + left, lanes: lanes)
            }
            let wholeFours = m / 4 * 4
            for top in stride(from: 0, to: wholeFours, by: 4) {
                for left in stride(from: 0, to: n, by: 8) {
                    var (s0, s1, s2, s3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
                    for p in 0..<k {
                        let column = VectorMath.load(b + p * width + left)
                        s0 += x.elementA(top, p) * column
                        s1 += x.elementA(top + 1, p) * column
                        s2 += x.elementA(top + 2, p) * column
                        s3 += x.elementA(top + 3, p) * column
                    }
                    store(s0, row: top, left: left)
                    store(s1, row: top + 1, left: left)
                    store(s2, row: top + 2, left: left)
                    store(s3, row: top + 3, left: left)
                }
            }
            for i in wholeFours..<m {
                for left in stride(from: 0, to: n, by: 8) {
                    var sum = SIMD8<Float>()
                    for p in 0..<k { sum += x.elementA(i, p) * VectorMath.load(b + p * width + left) }
                    store(sum, row: i, left: left)
                }
            }
        }
    }
}

extension CPUDevice {
    /// `C = alpha * A·B + beta * C` with plain loops over rows of C (each row: scale, then add
    /// `alpha * A[i, p] * B[p, :]` for every p). The path for x86-64 CPUs without AVX2 and FMA.
    func portableGemm(_ x: GemmMatrixOperands, parallel: Bool) {
        forRanges(x.m, grain: max(1, 65_536 / max(1, x.n * x.k)), parallel: parallel) { rows in
            for i in rows {
                let row = x.c + i * x.ldc
                for j in 0..<x.n { row[j] = x.beta == 0 ? 0 : x.beta * row[j] }
                for p in 0..<x.k {
                    let scaled = x.alpha * x.elementA(i, p)
                    for j in 0..<x.n { row[j] += scaled * x.elementB(p, j) }
                }
            }
        }
    }
}

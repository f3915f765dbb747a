extension CPUDevice: GemmOps {
    public func gemm(_ d: GemmDescriptor, a: Tensor, b: Tensor, c: Tensor) throws {
        try d.validate(a: a, b: b, c: c)
        let pa = try pointer(a, op: "gemm")
        let pb = try pointer(b, op: "gemm")
        let pc = try pointer(c, op: "gemm")
        let rows = d.batch * d.m
        parallelFor(rows, grain: max(1, 4096 / max(1, d.n * d.k))) { range in
            for row in range {
                let batch = row / d.m
                let i = row - batch * d.m
                let aBase = pa + batch * d.strideA
                let bBase = pb + batch * d.strideB
                let cRow = pc + batch * d.strideC + i * d.ldc
                for j in 0..<d.n {
                    var sum: Float = 0
                    for p in 0..<d.k {
                        let av = d.transposeA ? aBase[p * d.lda + i] : aBase[i * d.lda + p]
                        let bv = d.transposeB ? bBase[j * d.ldb + p] : bBase[p * d.ldb + j]
                        sum += av * bv
                    }
                    cRow[j] = d.beta == 0 ? d.alpha * sum : d.alpha * sum + d.beta * cRow[j]
                }
            }
        }
    }
}

import COpenCL

extension OpenCLDevice {
    /// Enqueues `descriptor` through CLBlast (row-major) and returns CLBlast's status.
    /// The caller holds `lock` and has checked that every dimension is positive.
    func gemmWithCLBlast(_ d: GemmDescriptor, a: OpenCLBuffer, b: OpenCLBuffer, c: OpenCLBuffer) -> CLBlastStatusCode {
        let transposeA = d.transposeA ? CLBlastTransposeYes : CLBlastTransposeNo
        let transposeB = d.transposeB ? CLBlastTransposeYes : CLBlastTransposeNo
        var queue: cl_command_queue? = queue
        if d.batch == 1 {
            return CLBlastSgemm(
                CLBlastLayoutRowMajor, transposeA, transposeB, d.m, d.n, d.k, d.alpha,
                a.mem, 0, d.lda, b.mem, 0, d.ldb, d.beta, c.mem, 0, d.ldc, &queue, nil)
        }
        return CLBlastSgemmStridedBatched(
            CLBlastLayoutRowMajor, transposeA, transposeB, d.m, d.n, d.k, d.alpha,
            a.mem, 0, d.lda, d.strideA, b.mem, 0, d.ldb, d.strideB, d.beta,
            c.mem, 0, d.ldc, d.strideC, d.batch, &queue, nil)
    }
}

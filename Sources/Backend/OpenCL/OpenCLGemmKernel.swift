extension OpenCLDevice {
    /// Rows of C per work-item of `gemm_tiles`: `TILE_M` in `Kernels/gemm.cl`.
    static let gemmTileRows = 6
    /// Columns of C per work-item of `gemm_tiles`: `TILE_N` in `Kernels/gemm.cl`.
    static let gemmTileColumns = 16

    /// Enqueues `descriptor` on SwiftTune's own kernels (`Kernels/gemm.cl`): one launch packs op(A)
    /// and op(B) into zero-padded panels in scratch buffers from the pool, then `gemm_tiles`
    /// computes one register tile of C per work-item. The caller has checked that `m` and `n` are positive.
    func gemmWithKernel(_ d: GemmDescriptor, a: OpenCLBuffer, b: OpenCLBuffer, c: OpenCLBuffer) throws {
        let limit = Int(Int32.max)
        guard [d.m, d.n, d.k, d.batch, d.strideA, d.strideB, d.strideC].allSatisfy({ $0 <= limit }) else {
            throw BackendError.invalidArgument(
                op: "gemm", detail: "the OpenCL kernel takes sizes and strides up to \(limit), got \(d)")
        }
        let rows = Self.gemmTileRows
        let columns = Self.gemmTileColumns
        let rowPanels = (d.m + rows - 1) / rows
        let columnPanels = (d.n + columns - 1) / columns
        // The scratch goes back to the pool when this returns, before the kernels have run; the
        // queue is in order, so whatever is enqueued into that memory next runs after them.
        let packedA = try pool.acquire(count: d.batch * rowPanels * rows * d.k)
        defer { pool.release(packedA) }
        let packedB = try pool.acquire(count: d.batch * columnPanels * columns * d.k)
        defer { pool.release(packedB) }
        let packGroup = [64, 1, 1]
        try launch("gemm", "gemm_pack", global: [d.k, rowPanels + columnPanels, d.batch], local: packGroup, [
            .buffer(a), .size(d.lda), .int(d.transposeA ? 1 : 0), .size(d.m), .size(d.strideA), .size(rowPanels),
            .buffer(try clBuffer(packedA, op: "gemm")),
            .buffer(b), .size(d.ldb), .int(d.transposeB ? 1 : 0), .size(d.n), .size(d.strideB), .size(columnPanels),
            .buffer(try clBuffer(packedB, op: "gemm")), .size(d.k),
        ])
        try launch("gemm", "gemm_tiles", global: [rowPanels, columnPanels, d.batch], local: tileGroup, [
            .size(d.m), .size(d.n), .size(d.k), .float(d.alpha), .float(d.beta),
            .buffer(try clBuffer(packedA, op: "gemm")), .buffer(try clBuffer(packedB, op: "gemm")),
            .buffer(c), .size(d.ldc), .size(d.strideC), .size(rowPanels), .size(columnPanels),
        ])
    }

    /// Work-group of `gemm_tiles`. On a CPU, PoCL runs a group's work-items one after the other,
    /// so a 4 × 4 group reuses each packed panel from the cache four times; a GPU wants more.
    private var tileGroup: [Int] {
        info.isGPU ? [8, 8, 1] : [4, 4, 1]
    }
}

extension OpenCLDevice {
    /// Rows of C per work-item of `gemm_tiles_<A><B>`: `TILE_M` in `Kernels/gemm.cl`.
    static let gemmTileRows = 6
    /// Columns of C per work-item of `gemm_tiles_<A><B>`: `TILE_N` in `Kernels/gemm.cl`.
    static let gemmTileColumns = 16

    /// Enqueues `descriptor` on SwiftTune's own kernels (`Kernels/gemm.cl`): `gemm_tiles_<A><B>`
    /// computes one register tile of C per work-item, reading op(A) straight from A (`r` rows
    /// side by side, or `c`: neighbouring values of a row of the stored A when transposed) and
    /// op(B) straight from B (`r`) when it is not transposed, its width is a multiple of the
    /// tile's and A has few rows (each row panel of A re-reads all of B; packed panels read
    /// faster than B's rows); otherwise one `gemm_pack` launch first packs op(B) into
    /// zero-padded panels in a scratch buffer from the pool. The caller has checked that `m`
    /// and `n` are positive.
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
        let readsB = !d.transposeB && d.n % columns == 0 && d.m <= Self.directBMaxRows
        // The scratch goes back to the pool when this returns, before the kernels have run; the
        // queue is in order, so whatever is enqueued into that memory next runs after them.
        let packedB = try pool.acquire(count: readsB ? 1 : d.batch * columnPanels * columns * d.k)
        defer { pool.release(packedB) }
        if !readsB {
            try launch("gemm", "gemm_pack", global: [d.k, columnPanels, d.batch], local: [64, 1, 1], [
                .buffer(a), .size(d.lda), .int(0), .size(d.m), .size(d.strideA), .size(0), .buffer(b),
                .buffer(b), .size(d.ldb), .int(d.transposeB ? 1 : 0), .size(d.n), .size(d.strideB), .size(columnPanels),
                .buffer(try clBuffer(packedB, op: "gemm")), .size(d.k),
            ])
        }
        let kernel = "gemm_tiles_" + (d.transposeA ? "c" : "r") + (readsB ? "r" : "p")
        try launch("gemm", kernel, global: [rowPanels, columnPanels, d.batch], local: tileGroup, [
            .size(d.m), .size(d.n), .size(d.k), .float(d.alpha), .float(d.beta),
            .buffer(a), .size(d.lda), .size(d.strideA),
            readsB ? .buffer(b) : .buffer(try clBuffer(packedB, op: "gemm")), .size(d.ldb), .size(d.strideB),
            .buffer(c), .size(d.ldc), .size(d.strideC), .size(rowPanels), .size(columnPanels),
        ])
    }

    /// The most rows of op(A) for which `gemm_tiles` reads B straight from its rows: each of the
    /// `m / 6` row panels reads all of B, and strided rows cost more per read than packed panels.
    /// At 128 rows (a batch of 128 into a dense layer's weights) reading B's rows and packing it
    /// cost about the same on PoCL; at 784 rows (a weight gradient) packing wins.
    static let directBMaxRows = 192

    /// Packs op(A) of `d` (one matrix, `batch` 1) alone into zero-padded panels of `gemmTileRows`
    /// rows, the layout `gemm_tiles_pp` reads, for callers that pack B themselves.
    func packGemmA(_ d: GemmDescriptor, a: Tensor) throws -> Tensor {
        let rowPanels = (d.m + Self.gemmTileRows - 1) / Self.gemmTileRows
        let packed = try Tensor(uninitializedShape: [rowPanels * Self.gemmTileRows * d.k], on: self)
        try launch("gemm", "gemm_pack", global: [d.k, rowPanels, 1], local: [64, 1, 1], [
            .tensor(a), .size(d.lda), .int(d.transposeA ? 1 : 0), .size(d.m), .size(d.strideA), .size(rowPanels),
            .tensor(packed),
            .tensor(a), .size(d.ldb), .int(0), .size(d.n), .size(0), .size(0), .tensor(packed), .size(d.k),
        ])
        return packed
    }

    /// `gemm_tiles_pp` for `d` (one matrix) on panels packed by the caller: `packedA` as
    /// `packGemmA` writes it, `packedB` as `gemm_pack` would (`gemmTileColumns` columns of op(B)
    /// per panel, each panel `k` rows deep).
    func gemmTiles(_ d: GemmDescriptor, packedA: Tensor, packedB: Tensor, c: Tensor) throws {
        let rowPanels = (d.m + Self.gemmTileRows - 1) / Self.gemmTileRows
        let columnPanels = (d.n + Self.gemmTileColumns - 1) / Self.gemmTileColumns
        try launch("gemm", "gemm_tiles_pp", global: [rowPanels, columnPanels, 1], local: tileGroup, [
            .size(d.m), .size(d.n), .size(d.k), .float(d.alpha), .float(d.beta),
            .tensor(packedA), .size(0), .size(0), .tensor(packedB), .size(0), .size(0),
            .tensor(c), .size(d.ldc), .size(d.strideC), .size(rowPanels), .size(columnPanels),
        ])
    }

    /// Work-group of `gemm_tiles_<A><B>`. On a CPU, PoCL runs a group's work-items one after the other,
    /// so a 4 × 4 group reuses each packed panel from the cache four times; a GPU wants more.
    var tileGroup: [Int] {
        info.isGPU ? [8, 8, 1] : [4, 4, 1]
    }
}

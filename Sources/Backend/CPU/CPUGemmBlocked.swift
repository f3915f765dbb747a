import CPUKernels

extension CPUDevice {
    /// Multiply-adds one parallel chunk should at least hold, so dispatching it pays off.
    static let minimumChunkWork = 1 << 21

    /// `C = alpha * A·B + beta * C` for one matrix, the BLIS way. For each panel of B (up to
    /// `GemmBlocking.columns` wide and `GemmBlocking.depth` deep): pack it once, in parallel; then
    /// cut C's rows (or, when C has few rows, the panel's columns) into chunks, a few per core,
    /// that the cores take as they become free. Each chunk packs its blocks of A and runs the
    /// register-tile kernels. Packing buffers come from `GemmScratch`, reused across calls;
    /// when memory for one cannot be had, the GEMM throws `BackendError.outOfMemory`.
    func blockedGemm(_ x: GemmMatrixOperands, parallel: Bool) throws {
        let d = x.descriptor
        let a = StridedMatrix(base: x.a, leading: x.lda, transposed: d.transposeA)
        let b = StridedMatrix(base: x.b, leading: x.ldb, transposed: d.transposeB)
        let tileRows = GemmBlocking.tileRows
        let tileColumns = GemmBlocking.tileColumns
        let rowTiles = (x.m + tileRows - 1) / tileRows
        for left in stride(from: 0, to: x.n, by: GemmBlocking.columns) {
            let panelColumns = left..<min(x.n, left + GemmBlocking.columns)
            let columnTiles = (panelColumns.count + tileColumns - 1) / tileColumns
            /// The columns of a range of column tiles of this panel.
            func columns(ofTiles tiles: Range<Int>) -> Range<Int> {
                (left + tiles.lowerBound * tileColumns)..<min(panelColumns.upperBound, left + tiles.upperBound * tileColumns)
            }
            let depthStep = GemmBlocking.balancedDepth(x.k)
            let splitRows = rowTiles >= 2 * threadCount || rowTiles >= columnTiles
            let paddedColumns = GemmBlocking.roundUp(panelColumns.count, to: tileColumns)
            if parallel, splitRows, x.k > depthStep, x.k * paddedColumns <= Self.wholeDepthPackLimit {
                try multiplyPanelWholeDepth(
                    x, a: a, b: b, columns: panelColumns, depthStep: depthStep, rowTiles: rowTiles, columnTiles: columnTiles)
                continue
            }
            for front in stride(from: 0, to: x.k, by: depthStep) {
                let depth = front..<min(x.k, front + depthStep)
                // The first depth block applies the caller's beta; later ones add to its result.
                let beta = front == 0 ? x.beta : 1
                let count = GemmBlocking.packedBCount(depth: depth.count, columns: panelColumns.count)
                try GemmScratch.packedB.withBuffer(count: count) { packedB in
                    forRanges(columnTiles, grain: 16, parallel: parallel) { tiles in
                        packB(
                            b, depth: depth, columns: columns(ofTiles: tiles),
                            into: packedB + tiles.lowerBound * tileColumns * depth.count)
                    }
                    let tileWork = depth.count * (splitRows ? tileRows * panelColumns.count : tileColumns * x.m)
                    let failure = FirstError()
                    forRanges(
                        splitRows ? rowTiles : columnTiles, grain: max(1, Self.minimumChunkWork / tileWork),
                        chunksPerThread: 4, parallel: parallel
                    ) { tiles in
                        let rows = splitRows ? (tiles.lowerBound * tileRows)..<min(x.m, tiles.upperBound * tileRows) : 0..<x.m
                        let chunkColumns = splitRows ? panelColumns : columns(ofTiles: tiles)
                        do {
                            try multiplyRows(
                                x, a: a, rows: rows, columns: chunkColumns, depth: depth,
                                packedB: packedB + (chunkColumns.lowerBound - left) * depth.count, beta: beta)
                        } catch {
                            failure.record(error)
                        }
                    }
                    try failure.rethrow()
                }
            }
        }
    }

    /// The most floats of B one panel packs for all its depth blocks at once (4 MB, the size of
    /// one full-depth-block panel).
    static let wholeDepthPackLimit = GemmBlocking.depth * GemmBlocking.columns

    /// One column panel of a deep product with few rows (an LSTM step's `dh = dGates · W_hhᵀ`):
    /// every depth block of B packed in one parallel pass, then each chunk of row tiles runs
    /// through all depth blocks, in order, so the result is the same as block by block. Two
    /// waits for the threads instead of two per depth block, and no block's packing on one core.
    private func multiplyPanelWholeDepth(
        _ x: GemmMatrixOperands, a: StridedMatrix, b: StridedMatrix, columns panel: Range<Int>, depthStep: Int, rowTiles: Int,
        columnTiles: Int
    ) throws {
        let (tileRows, tileColumns) = (GemmBlocking.tileRows, GemmBlocking.tileColumns)
        let paddedColumns = GemmBlocking.roundUp(panel.count, to: tileColumns)
        let depths = stride(from: 0, to: x.k, by: depthStep).map { $0..<min(x.k, $0 + depthStep) }
        try GemmScratch.packedB.withBuffer(count: x.k * paddedColumns) { packedB in
            // Depth block d starts at its first depth × the padded columns; tile t of it after t tiles.
            forRanges(depths.count * columnTiles, grain: 16, parallel: true) { items in
                for item in items {
                    let (block, tile) = item.quotientAndRemainder(dividingBy: columnTiles)
                    let depth = depths[block]
                    let columns = (panel.lowerBound + tile * tileColumns)..<min(panel.upperBound, panel.lowerBound + (tile + 1) * tileColumns)
                    packB(b, depth: depth, columns: columns, into: packedB + depth.lowerBound * paddedColumns + tile * tileColumns * depth.count)
                }
            }
            let failure = FirstError()
            forRanges(rowTiles, grain: max(1, Self.minimumChunkWork / (x.k * tileRows * panel.count)), chunksPerThread: 4, parallel: true) { tiles in
                let rows = (tiles.lowerBound * tileRows)..<min(x.m, tiles.upperBound * tileRows)
                do {
                    for depth in depths {
                        try multiplyRows(
                            x, a: a, rows: rows, columns: panel, depth: depth, packedB: packedB + depth.lowerBound * paddedColumns,
                            beta: depth.lowerBound == 0 ? x.beta : 1)
                    }
                } catch {
                    failure.record(error)
                }
            }
            try failure.rethrow()
        }
    }

    /// Packs `rows` of A block by block and multiplies each block by the packed B of `columns`.
    private func multiplyRows(
        _ x: GemmMatrixOperands, a: StridedMatrix, rows: Range<Int>, columns: Range<Int>, depth: Range<Int>,
        packedB: UnsafeMutablePointer<Float>, beta: Float
    ) throws {
        let count = GemmBlocking.packedACount(rows: min(GemmBlocking.rows, rows.count), depth: depth.count)
        try GemmScratch.packedA.withBuffer(count: count) { packedA in
            for top in stride(from: rows.lowerBound, to: rows.upperBound, by: GemmBlocking.rows) {
                let block = top..<min(rows.upperBound, top + GemmBlocking.rows)
                packA(a, rows: block, depth: depth, into: packedA)
                multiplyPacked(
                    packedA: packedA, packedB: packedB, rows: block.count, columns: columns.count,
                    depth: depth.count, c: x.c + top * x.ldc + columns.lowerBound, ldc: x.ldc,
                    alpha: x.alpha, beta: beta)
            }
        }
    }
}

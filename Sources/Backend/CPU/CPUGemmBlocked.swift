import CPUKernels

extension CPUDevice {
    /// Multiply-adds one parallel chunk should at least hold, so dispatching it pays off.
    static let minimumChunkWork = 1 << 21

    /// `C = alpha * A·B + beta * C` for one matrix, the BLIS way: for each panel of B (up to
    /// `GemmBlocking.columns` wide and `GemmBlocking.depth` deep), pack it once (in parallel), then
    /// split C's rows (or, when C has few rows, the panel's columns) over the cores; each chunk
    /// packs its A blocks and runs the register-tile kernels. Packing buffers come from
    /// `GemmScratch` and are reused across calls.
    func blockedGemm(_ x: GemmMatrixOperands, parallel: Bool) {
        let tileRows = GemmBlocking.tileRows
        let tileColumns = GemmBlocking.tileColumns
        let rowTiles = (x.m + tileRows - 1) / tileRows
        for left in stride(from: 0, to: x.n, by: GemmBlocking.columns) {
            let columns = left..<min(x.n, left + GemmBlocking.columns)
            let columnTiles = (columns.count + tileColumns - 1) / tileColumns
            for front in stride(from: 0, to: x.k, by: GemmBlocking.depth) {
                let depth = front..<min(x.k, front + GemmBlocking.depth)
                // The first depth block applies the caller's beta; later ones add to it.
                let beta = front == 0 ? x.beta : 1
                let count = GemmBlocking.packedBCount(depth: depth.count, columns: columns.count)
                GemmScratch.packedB.withBuffer(count: count) { packedB in
                    func tiles(_ range: Range<Int>) -> Range<Int> {
                        (left + range.lowerBound * tileColumns)..<min(columns.upperBound, left + range.upperBound * tileColumns)
                    }
                    forRanges(columnTiles, grain: 16, parallel: parallel) { range in
                        packB(x.b, depth: depth, columns: tiles(range), into: packedB + range.lowerBound * tileColumns * depth.count)
                    }
                    let splitRows = rowTiles >= 2 * threadCount || rowTiles >= columnTiles
                    let tileWork = depth.count * (splitRows ? tileRows * columns.count : tileColumns * x.m)
                    let grain = max(1, Self.minimumChunkWork / tileWork)
                    forRanges(splitRows ? rowTiles : columnTiles, grain: grain, parallel: parallel) { range in
                        let rows = splitRows ? (range.lowerBound * tileRows)..<min(x.m, range.upperBound * tileRows) : 0..<x.m
                        let chunkColumns = splitRows ? columns : tiles(range)
                        multiplyRows(
                            x, rows: rows, columns: chunkColumns, depth: depth,
                            packedB: packedB + (chunkColumns.lowerBound - left) * depth.count, beta: beta)
                    }
                }
            }
        }
    }

    /// Packs `rows` of A block by block and multiplies each block by the packed B panel of `columns`.
    private func multiplyRows(
        _ x: GemmMatrixOperands, rows: Range<Int>, columns: Range<Int>, depth: Range<Int>,
        packedB: UnsafeMutablePointer<Float>, beta: Float
    ) {
        let blockRows = min(GemmBlocking.rows, rows.count)
        GemmScratch.packedA.withBuffer(count: GemmBlocking.packedACount(rows: blockRows, depth: depth.count)) { packedA in
            for top in stride(from: rows.lowerBound, to: rows.upperBound, by: GemmBlocking.rows) {
                let block = top..<min(rows.upperBound, top + GemmBlocking.rows)
                packA(x.a, rows: block, depth: depth, into: packedA)
                multiplyPacked(
                    packedA: packedA, packedB: packedB, rows: block.count, columns: columns.count,
                    depth: depth.count, c: x.c + top * x.ldc + columns.lowerBound, ldc: x.ldc,
                    alpha: x.alpha, beta: beta)
            }
        }
    }
}

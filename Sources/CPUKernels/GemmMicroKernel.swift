/// One row of the register tile: 16 accumulators in two 8-lane vectors (two AVX registers).
struct TileRow {
    var low = SIMD8<Float>()
    var high = SIMD8<Float>()

    /// Adds `a * b` (b as two vectors) with fused multiply-adds.
    @inline(__always)
    mutating func accumulate(_ a: Float, _ bLow: SIMD8<Float>, _ bHigh: SIMD8<Float>) {
        let broadcast = SIMD8<Float>(repeating: a)
        low = low.addingProduct(broadcast, bLow)
        high = high.addingProduct(broadcast, bHigh)
    }

    /// Writes `alpha * row + beta * c` into 16 floats at `c`; with `beta == 0`, C is not read
    /// (it may hold NaN).
    @inline(__always)
    func store(to c: UnsafeMutablePointer<Float>, alpha: Float, beta: Float) {
        let raw = UnsafeMutableRawPointer(c)
        var newLow = alpha * low
        var newHigh = alpha * high
        if beta != 0 {
            newLow = newLow.addingProduct(beta, raw.loadUnaligned(as: SIMD8<Float>.self))
            newHigh = newHigh.addingProduct(beta, raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
        }
        raw.storeBytes(of: newLow, as: SIMD8<Float>.self)
        raw.storeBytes(of: newHigh, toByteOffset: 32, as: SIMD8<Float>.self)
    }
}

/// Computes one `tileRows × tileColumns` (6 × 16) tile: `C = alpha * (A panel · B panel) + beta * C`,
/// keeping the tile in twelve vector registers across the whole depth.
///
/// - Parameters:
///   - depth: the k extent of both panels (may be 0).
///   - a: a packed A panel (`depth` groups of 6 floats).
///   - b: a packed B panel (`depth` groups of 16 floats), 32-byte aligned.
///   - c: the tile's top-left element; row `i` starts at `c + i * ldc`.
///   - rows, columns: how much of the tile C really has (at most 6 and 16); the rest is dropped.
@inline(never)
func multiplyTile(
    depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int, alpha: Float, beta: Float
) {
    var row0 = TileRow(), row1 = TileRow(), row2 = TileRow()
    var row3 = TileRow(), row4 = TileRow(), row5 = TileRow()
    var a = a
    var b = UnsafeRawPointer(b)
    for _ in 0..<depth {
        let bLow = b.load(as: SIMD8<Float>.self)
        let bHigh = b.load(fromByteOffset: 32, as: SIMD8<Float>.self)
        row0.accumulate(a[0], bLow, bHigh)
        row1.accumulate(a[1], bLow, bHigh)
        row2.accumulate(a[2], bLow, bHigh)
        row3.accumulate(a[3], bLow, bHigh)
        row4.accumulate(a[4], bLow, bHigh)
        row5.accumulate(a[5], bLow, bHigh)
        a += GemmBlocking.tileRows
        b += GemmBlocking.tileColumns * MemoryLayout<Float>.stride
    }
    if rows == GemmBlocking.tileRows, columns == GemmBlocking.tileColumns {
        row0.store(to: c, alpha: alpha, beta: beta)
        row1.store(to: c + ldc, alpha: alpha, beta: beta)
        row2.store(to: c + 2 * ldc, alpha: alpha, beta: beta)
        row3.store(to: c + 3 * ldc, alpha: alpha, beta: beta)
        row4.store(to: c + 4 * ldc, alpha: alpha, beta: beta)
        row5.store(to: c + 5 * ldc, alpha: alpha, beta: beta)
        return
    }
    // An edge tile: finish it in a full-size scratch tile, then copy the part C has.
    let width = GemmBlocking.tileColumns
    withUnsafeTemporaryAllocation(of: Float.self, capacity: GemmBlocking.tileRows * width) { tile in
        guard let scratch = tile.baseAddress else { return }
        row0.store(to: scratch, alpha: alpha, beta: 0)
        row1.store(to: scratch + width, alpha: alpha, beta: 0)
        row2.store(to: scratch + 2 * width, alpha: alpha, beta: 0)
        row3.store(to: scratch + 3 * width, alpha: alpha, beta: 0)
        row4.store(to: scratch + 4 * width, alpha: alpha, beta: 0)
        row5.store(to: scratch + 5 * width, alpha: alpha, beta: 0)
        for i in 0..<rows {
            let target = c + i * ldc
            let source = scratch + i * width
            for j in 0..<columns {
                target[j] = beta == 0 ? source[j] : source[j] + beta * target[j]
            }
        }
    }
}

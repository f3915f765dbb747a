import CGemmKernels

/// The tile and block sizes of the CPU GEMM (the BLIS scheme: a register tile of C, an A block
/// that stays in L2, a B panel that stays in L3).
package enum GemmBlocking {
    /// Rows of C one register tile holds (MR), as the C kernels define it.
    package static var tileRows: Int { Int(SWIFTTUNE_GEMM_TILE_ROWS) }
    /// Columns of C one register tile holds (NR): two 8-lane vectors.
    package static var tileColumns: Int { Int(SWIFTTUNE_GEMM_TILE_COLUMNS) }
    /// The depth (k) of one packed block (KC): a B micro-panel of `depth × tileColumns` fills half of L1.
    package static let depth = 256
    /// Rows of the packed A block (MC, a multiple of `tileRows`): `rows × depth` floats stay in L2.
    package static let rows = 144
    /// Columns of the packed B panel (NC, a multiple of `tileColumns`).
    package static let columns = 4096

    /// The depth of each block when `k` is cut into blocks of at most `depth`, all about the same
    /// size: 288 becomes 144 + 144 rather than 256 + 32, whose thin second pass would read and
    /// write all of C for an eighth of the work.
    package static func balancedDepth(_ k: Int) -> Int {
        let blocks = max(1, (k + depth - 1) / depth)
        return (k + blocks - 1) / blocks
    }

    /// Floats a packed A block of `rows × depth` takes (rows padded to whole tiles).
    package static func packedACount(rows: Int, depth: Int) -> Int {
        roundUp(rows, to: tileRows) * depth
    }

    /// Floats a packed B panel of `depth × columns` takes (columns padded to whole tiles).
    package static func packedBCount(depth: Int, columns: Int) -> Int {
        roundUp(columns, to: tileColumns) * depth
    }

    /// `value` rounded up to a multiple of `multiple`.
    package static func roundUp(_ value: Int, to multiple: Int) -> Int {
        (value + multiple - 1) / multiple * multiple
    }
}

/// A read-only matrix in memory: element `(row, column)` is at `base[row * rowStride + column * columnStride]`.
///
/// A row-major matrix has `columnStride == 1`; its transpose is the same memory with the strides swapped.
package struct StridedMatrix {
    package var base: UnsafePointer<Float>
    package var rowStride: Int
    package var columnStride: Int

    package init(base: UnsafePointer<Float>, rowStride: Int, columnStride: Int) {
        self.base = base
        self.rowStride = rowStride
        self.columnStride = columnStride
    }

    /// The matrix stored row-major with leading dimension `leading`, transposed when `transposed`.
    package init(base: UnsafePointer<Float>, leading: Int, transposed: Bool) {
        self.init(base: base, rowStride: transposed ? 1 : leading, columnStride: transposed ? leading : 1)
    }
}

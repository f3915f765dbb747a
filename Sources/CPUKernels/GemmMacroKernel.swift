/// Multiplies a packed A block by a packed B panel into C:
/// `C[0..<rows, 0..<columns] = alpha * A·B + beta * C`, one register tile at a time.
///
/// The loop over B's panels is outside the loop over A's panels, so one B micro-panel
/// (`depth × 16` floats) stays in L1 while the A block streams from L2.
///
/// - Parameters:
///   - packedA: `rows × depth` packed by `packA`.
///   - packedB: `depth × columns` packed by `packB`.
///   - c: the block's top-left element of C; row `i` starts at `c + i * ldc`.
package func multiplyPacked(
    packedA: UnsafePointer<Float>, packedB: UnsafePointer<Float>, rows: Int, columns: Int, depth: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float
) {
    let tileRows = GemmBlocking.tileRows
    let tileColumns = GemmBlocking.tileColumns
    for left in stride(from: 0, to: columns, by: tileColumns) {
        let bPanel = packedB + left * depth
        let width = min(tileColumns, columns - left)
        for top in stride(from: 0, to: rows, by: tileRows) {
            multiplyTile(
                depth: depth, a: packedA + top * depth, b: bPanel,
                c: c + top * ldc + left, ldc: ldc,
                rows: min(tileRows, rows - top), columns: width, alpha: alpha, beta: beta)
        }
    }
}

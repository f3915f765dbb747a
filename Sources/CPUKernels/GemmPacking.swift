import CGemmKernels

// Swift faces of the C packing (CGemmKernels), in the shapes Backend's blocked GEMM uses.

/// Packs `rows × depth` of A into panels of `GemmBlocking.tileRows` rows. Panel `t` starts at
/// `packed + t * tileRows * depth.count` and holds, for each `p` of `depth`, the panel's rows at `p`.
package func packA(
    _ a: StridedMatrix, rows: Range<Int>, depth: Range<Int>, into packed: UnsafeMutablePointer<Float>
) {
    swifttune_gemm_pack_a(
        a.base, a.rowStride, a.columnStride, rows.lowerBound, rows.upperBound, depth.lowerBound, depth.upperBound,
        packed)
}

/// Packs `depth × columns` of B into panels of `GemmBlocking.tileColumns` columns. Panel `t`
/// starts at `packed + t * tileColumns * depth.count` and holds, for each `p` of `depth`, the
/// panel's columns at `p`.
package func packB(
    _ b: StridedMatrix, depth: Range<Int>, columns: Range<Int>, into packed: UnsafeMutablePointer<Float>
) {
    swifttune_gemm_pack_b(
        b.base, b.rowStride, b.columnStride, depth.lowerBound, depth.upperBound, columns.lowerBound,
        columns.upperBound, packed)
}

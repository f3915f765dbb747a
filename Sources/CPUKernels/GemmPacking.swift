// Packing copies a block of A or B into the order the micro-kernel reads it, so the kernel's
// loads are sequential and aligned, and pads partial tiles with zeros so the kernel never needs
// a remainder loop over k, rows or columns.

/// Packs `rows × depth` of A into panels of `GemmBlocking.tileRows` rows. Panel `t` starts at
/// `packed + t * tileRows * depth.count` and holds, for each `p` of `depth`, the panel's rows at `p`.
package func packA(
    _ a: StridedMatrix, rows: Range<Int>, depth: Range<Int>, into packed: UnsafeMutablePointer<Float>
) {
    let tileRows = GemmBlocking.tileRows
    var panel = packed
    for top in stride(from: rows.lowerBound, to: rows.upperBound, by: tileRows) {
        let height = min(tileRows, rows.upperBound - top)
        if a.rowStride == 1 {
            // op(A) is A transposed in memory: the panel's rows at one p are contiguous.
            var out = panel
            for p in depth {
                let source = a.base + p * a.columnStride + top
                for r in 0..<tileRows { out[r] = r < height ? source[r] : 0 }
                out += tileRows
            }
        } else {
            // Each row of the panel is a contiguous run along p; interleave them.
            for r in 0..<tileRows {
                var out = panel + r
                if r < height {
                    let source = a.base + (top + r) * a.rowStride
                    for p in depth {
                        out.pointee = source[p * a.columnStride]
                        out += tileRows
                    }
                } else {
                    for _ in depth {
                        out.pointee = 0
                        out += tileRows
                    }
                }
            }
        }
        panel += tileRows * depth.count
    }
}

/// Packs `depth × columns` of B into panels of `GemmBlocking.tileColumns` columns. Panel `t`
/// starts at `packed + t * tileColumns * depth.count` and holds, for each `p` of `depth`, the
/// panel's columns at `p`.
package func packB(
    _ b: StridedMatrix, depth: Range<Int>, columns: Range<Int>, into packed: UnsafeMutablePointer<Float>
) {
    let tileColumns = GemmBlocking.tileColumns
    var panel = packed
    for left in stride(from: columns.lowerBound, to: columns.upperBound, by: tileColumns) {
        let width = min(tileColumns, columns.upperBound - left)
        var out = panel
        if b.columnStride == 1, width == tileColumns {
            // Row-major B: the panel's columns at one p are 16 contiguous floats.
            for p in depth {
                let source = UnsafeRawPointer(b.base + p * b.rowStride + left)
                let raw = UnsafeMutableRawPointer(out)
                raw.storeBytes(of: source.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                raw.storeBytes(
                    of: source.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self),
                    toByteOffset: 32, as: SIMD8<Float>.self)
                out += tileColumns
            }
        } else {
            // Transposed B or a partial panel: gather element by element (the columns' runs along
            // p stay in L1 across consecutive p).
            for p in depth {
                for j in 0..<tileColumns { out[j] = j < width ? b[p, left + j] : 0 }
                out += tileColumns
            }
        }
        panel += tileColumns * depth.count
    }
}

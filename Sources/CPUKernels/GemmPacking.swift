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
        } else if height == tileRows {
            // A full panel of row-major A: gather the six rows' values at each p.
            let row = a.base + top * a.rowStride
            let step = a.rowStride
            var out = panel
            for p in depth {
                let source = row + p * a.columnStride
                out[0] = source[0]
                out[1] = source[step]
                out[2] = source[2 * step]
                out[3] = source[3 * step]
                out[4] = source[4 * step]
                out[5] = source[5 * step]
                out += tileRows
            }
        } else {
            // The last, partial panel: the rows C does not have are zeros.
            var out = panel
            for p in depth {
                for r in 0..<tileRows { out[r] = r < height ? a[top + r, p] : 0 }
                out += tileRows
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
        } else if b.rowStride == 1 {
            // Transposed B: each column is a contiguous run along p. Copy column by column (the
            // columns are `columnStride` apart, often a multiple of 4 KB, so reading all 16 at
            // one p would keep evicting each other from L1).
            for j in 0..<tileColumns {
                var target = out + j
                if j < width {
                    let source = b.base + (left + j) * b.columnStride
                    for p in depth {
                        target.pointee = source[p]
                        target += tileColumns
                    }
                } else {
                    for _ in depth {
                        target.pointee = 0
                        target += tileColumns
                    }
                }
            }
        } else {
            // A partial panel of row-major B: the runs along j are shorter than a tile.
            for p in depth {
                for j in 0..<tileColumns { out[j] = j < width ? b[p, left + j] : 0 }
                out += tileColumns
            }
        }
        panel += tileColumns * depth.count
    }
}

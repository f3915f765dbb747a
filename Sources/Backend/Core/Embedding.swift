/// Row lookups in a table (`[vocabulary, dimension]`) by token ids stored as Float, and the
/// backward pass that adds each token's gradient into its row.
///
/// An id that is not a whole number in `0..<vocabulary` looks up a row of zeros and adds its
/// gradient nowhere.
public protocol EmbeddingOps {
    /// `output[n, :] = table[ids[n], :]` for each of the `N` ids; `output` has `N · dimension` elements.
    func embedding(table: Tensor, ids: Tensor, into output: Tensor) throws
    /// `gradTable[v, :] (+)= Σ gradOutput[n, :]` over the ids `n` equal to `v`, added in token
    /// order (the same sums on every device, no atomics). The row of `paddingIndex` gets no
    /// gradient (zeros, or left as it is when accumulating). With `accumulate`, the sums are
    /// added to what `gradTable` holds.
    func embeddingBackward(gradOutput: Tensor, ids: Tensor, paddingIndex: Int?, into gradTable: Tensor, accumulate: Bool) throws
}

/// The sizes of one embedding op: `tokens` ids, a table of `vocabulary` rows of `dimension`.
struct EmbeddingPlan {
    let tokens: Int
    let vocabulary: Int
    let dimension: Int

    /// Checks that `table` is `[vocabulary, dimension]`, that `rows` (the output or its gradient)
    /// holds `dimension` values per id, and that every tensor lives on `device`.
    init(_ op: String, table: Tensor, ids: Tensor, rows: Tensor, on device: any DeviceCore) throws {
        guard table.rank == 2 else {
            throw BackendError.shapeMismatch(op: op, detail: "the table must be [vocabulary, dimension], has shape \(table.shape)")
        }
        (tokens, vocabulary, dimension) = (ids.count, table.shape[0], table.shape[1])
        guard rows.count == tokens * dimension else {
            throw BackendError.shapeMismatch(
                op: op, detail: "\(tokens) ids of \(dimension) values need \(tokens * dimension) elements, the rows have \(rows.count)")
        }
        for tensor in [table, ids, rows] { try device.checkOwnership(tensor, op: op) }
    }

    /// The row of `id`, or nil when it is not a whole number in `0..<vocabulary`.
    func row(of id: Float) -> Int? {
        guard id >= 0, id < Float(vocabulary), id.rounded(.towardZero) == id else { return nil }
        return Int(id)
    }
}

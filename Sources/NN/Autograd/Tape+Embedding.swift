import Backend

extension Tape {
    /// The rows of `table` (`[vocabulary, dimension]`) named by `ids` (token ids stored as Float,
    /// any shape): shape `ids.shape + [dimension]`. Ids outside the table give zeros. Backward
    /// adds each token's gradient into its row, except into the row of `paddingIndex`; the ids
    /// get no gradient.
    public func embedding(_ ids: Variable, table: Variable, paddingIndex: Int? = nil) throws -> Variable {
        guard table.shape.count == 2 else {
            throw BackendError.shapeMismatch(op: "embedding", detail: "the table must be [vocabulary, dimension], has shape \(table.shape)")
        }
        let device = table.device
        let result = try output(ids.shape + [table.shape[1]], on: device)
        try device.embedding(table: table.value, ids: ids.value, into: result)
        return record(result, inputs: [table]) { gradient in
            try accumulateGradient(into: table) { target, accumulate in
                try device.embeddingBackward(
                    gradOutput: gradient, ids: ids.value, paddingIndex: paddingIndex, into: target, accumulate: accumulate)
            }
        }
    }
}

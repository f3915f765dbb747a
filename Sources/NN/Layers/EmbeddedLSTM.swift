import Backend

/// An embedding whose vectors go straight into an LSTM (the two one after the other in a
/// `Sequential`) as one pair of ops: a token's input projection `E[id]·weight_ih` is row `id`
/// of `E·weight_ih`, so the table is projected once (`vocabulary` rows) instead of every
/// token's vector (`batch·steps` rows) and each step's rows are gathered from it; backward
/// adds the tokens' projection gradients into the table's rows (the gather's backward) and
/// multiplies those, three GEMMs of `vocabulary` rows instead of `batch·steps`. The results
/// differ from the layers run one after the other by rounding only.
enum EmbeddedLSTM {
    /// The LSTM's output (as its `forward` gives it) for the token ids `ids` (`[batch, steps]`)
    /// through `embedding`, or nil where the layers are better run one after the other: the
    /// table has as many rows as the batch has tokens or more, an id is outside the table (its
    /// zero vector would still get the biases), the shapes do not fit (the layers then say what
    /// is wrong), or the model is not on the CPU (checking the ids there would read them back
    /// to the host on every forward pass).
    static func forward(_ ids: Variable, embedding: Embedding, lstm: LSTM, tape: Tape) throws -> Variable? {
        let table = embedding.weight
        guard table.device is CPUDevice, ids.shape.count == 2, ids.shape[1] > 0, table.shape[1] == lstm.inputs, embedding.vocabulary < ids.value.count,
              try ids.value.toArray().allSatisfy({ $0 >= 0 && $0 < Float(embedding.vocabulary) && $0.rounded(.towardZero) == $0 })
        else { return nil }
        var rows = table
        if let paddingIndex = embedding.paddingIndex {
            // Every row gathered in order: the table as it is, whose padding row gets no
            // gradient, as through the embedding.
            let all = try Tensor((0..<embedding.vocabulary).map(Float.init), shape: [embedding.vocabulary], on: table.device)
            rows = try tape.embedding(Variable(all), table: table, paddingIndex: paddingIndex)
        }
        // Both biases go into the projected table.
        let bias = try tape.add(lstm.weights.biasIH, lstm.weights.biasHH)
        let projectedTable = try tape.linear(rows, weight: lstm.weights.weightIH, bias: bias)
        return try lstm.run(projected: tape.embedding(ids, table: projectedTable), from: lstm.initialState, tape: tape).output
    }
}

extension OpenCLDevice: EmbeddingOps {
    public func embedding(table: Tensor, ids: Tensor, into output: Tensor) throws {
        let op = "embedding"
        let plan = try EmbeddingPlan(op, table: table, ids: ids, rows: output, on: self)
        try checkKernelIndexRange(max(output.count, table.count), op: op)
        let grid = [plan.dimension, plan.tokens]
        try launch("embedding", "embedding_forward", global: grid, local: valueGroup(grid), [
            .tensor(table), .tensor(ids), .tensor(output), .size(plan.tokens), .size(plan.vocabulary), .size(plan.dimension),
        ])
    }

    public func embeddingBackward(gradOutput: Tensor, ids: Tensor, paddingIndex: Int?, into gradTable: Tensor, accumulate: Bool) throws {
        let op = "embeddingBackward"
        let plan = try EmbeddingPlan(op, table: gradTable, ids: ids, rows: gradOutput, on: self)
        try checkKernelIndexRange(max(gradOutput.count, gradTable.count), op: op)
        let padding = paddingIndex.map { (0..<plan.vocabulary).contains($0) ? $0 : -1 } ?? -1
        // GPUs: one item per row, scanning the ids; CPU devices: one item per column, one pass.
        let (kernel, items) = prefersContiguousWork
            ? ("embedding_backward_columns", plan.dimension) : ("embedding_backward", plan.vocabulary)
        try launch1D("embedding", kernel, count: items, groupSize: 64, [
            .tensor(gradOutput), .tensor(ids), .tensor(gradTable), .size(plan.tokens), .size(plan.vocabulary), .size(plan.dimension),
            .size(padding), .int(accumulate ? 1 : 0),
        ])
    }
}

extension CPUDevice: EmbeddingOps {
    public func embedding(table: Tensor, ids: Tensor, into output: Tensor) throws {
        let op = "embedding"
        let plan = try EmbeddingPlan(op, table: table, ids: ids, rows: output, on: self)
        let source = try pointer(table, op: op)
        let tokens = try pointer(ids, op: op)
        let target = UncheckedSendable(try pointer(output, op: op))
        let width = plan.dimension
        parallelFor(plan.tokens, grain: max(1, 16_384 / max(width, 1))) { range in
            for n in range {
                let destination = target.value + n * width
                if let row = plan.row(of: tokens[n]) {
                    destination.update(from: source + row * width, count: width)
                } else {
                    destination.update(repeating: 0, count: width)
                }
            }
        }
    }

    /// One pass in token order: each token's gradient is added to its row in the order of the
    /// tokens, as the OpenCL kernel adds them; threads take ranges of columns.
    public func embeddingBackward(gradOutput: Tensor, ids: Tensor, paddingIndex: Int?, into gradTable: Tensor, accumulate: Bool) throws {
        let op = "embeddingBackward"
        let plan = try EmbeddingPlan(op, table: gradTable, ids: ids, rows: gradOutput, on: self)
        let upstream = try pointer(gradOutput, op: op)
        let tokens = try pointer(ids, op: op)
        let target = try pointer(gradTable, op: op)
        let (width, rows) = (plan.dimension, plan.vocabulary)
        // Columns in pieces of 16 (64-byte lines where the rows are aligned to them).
        let pieces = (width + 15) / 16
        parallelFor(pieces, grain: max(1, 16_384 / max(1, 16 * plan.tokens))) { range in
            let columns = (range.lowerBound * 16)..<min(width, range.upperBound * 16)
            if !accumulate {
                for row in 0..<rows { (target + row * width + columns.lowerBound).update(repeating: 0, count: columns.count) }
            }
            for n in 0..<plan.tokens {
                guard let row = plan.row(of: tokens[n]), row != paddingIndex else { continue }
                let destination = target + row * width
                let source = upstream + n * width
                for d in columns { destination[d] += source[d] }
            }
        }
    }
}

/// Reductions and softmax on OpenCL: work-group tree reductions from `Kernels/reduce.cl`.
extension OpenCLDevice: ReductionOps {
    private static let family = "reduce"
    /// Below this many rows a long row is split over several work-groups and a second pass.
    private static let rowsThatFillTheDevice = 64
    /// From this many strided rows on, one work-item per row reads memory more efficiently.
    private static let rowsForColumnKernel = 256

    public func reduce(_ op: ReduceOp, _ x: Tensor, axis: Int?, into out: Tensor) throws {
        let split = try checkReduce(op, x, axis: axis, out: out)
        let rows = split.outer * split.inner
        guard rows > 0 else { return }
        guard split.length > 0 else { return try fill(out, value: 0) }
        let scale = 1 / Float(split.length)
        if split.inner > 1, rows >= Self.rowsForColumnKernel {
            try launch1D(Self.family, "reduce_columns", count: rows, [
                .tensor(x), .tensor(out), .size(rows), .size(split.length), .size(split.inner),
                .int(op.rawValue), .float(scale),
            ])
            return
        }
        let group = reductionGroupSize(for: split.length)
        let parts = rows >= Self.rowsThatFillTheDevice ? 1 : min(64, (split.length + 32 * group - 1) / (32 * group))
        let groups = rows * parts
        let scratch: [KernelArgument] = Array(repeating: .local(bytes: group * 4), count: 3)
        let firstPassOutput = parts == 1 ? out : try Tensor(uninitializedShape: [2 * groups], on: self)
        try launch(Self.family, "reduce_rows", global: [groups * group], local: [group], [
            .tensor(x), .tensor(firstPassOutput), .size(split.length), .size(split.inner), .size(parts), .size(groups),
            .int(op.rawValue), .float(scale),
        ] + scratch)
        guard parts > 1 else { return }
        let secondGroup = reductionGroupSize(for: parts)
        try launch(Self.family, "reduce_partials", global: [rows * secondGroup], local: [secondGroup], [
            .tensor(firstPassOutput), .tensor(out), .size(parts), .size(groups), .int(op.rawValue), .float(scale),
        ] + Array(repeating: .local(bytes: secondGroup * 4), count: 3))
    }

    public func softmax(_ x: Tensor, axis: Int, log: Bool, into out: Tensor) throws {
        let split = try checkSoftmax(op: log ? "logSoftmax" : "softmax", ["x": x, "out": out], axis: axis)
        let group = reductionGroupSize(for: split.length)
        try launch(Self.family, "softmax_rows", global: [split.outer * split.inner * group], local: [group], [
            .tensor(x), .tensor(out), .size(split.length), .size(split.inner), .int(log ? 1 : 0),
            .local(bytes: group * 4),
        ])
    }

    public func softmaxBackward(output: Tensor, gradOutput: Tensor, axis: Int, log: Bool, into gradInput: Tensor) throws {
        let split = try checkSoftmax(
            op: log ? "logSoftmax backward" : "softmax backward",
            ["output": output, "gradOutput": gradOutput, "gradInput": gradInput], axis: axis)
        let group = reductionGroupSize(for: split.length)
        try launch(Self.family, "softmax_backward_rows", global: [split.outer * split.inner * group], local: [group], [
            .tensor(output), .tensor(gradOutput), .tensor(gradInput), .size(split.length), .size(split.inner),
            .int(log ? 1 : 0), .local(bytes: group * 4),
        ])
    }

    /// The work-group size of a tree reduction over rows of `length`: the smallest power of two
    /// that covers the row, but at least 32 (a GPU warp; PoCL also compiles each size it sees
    /// anew) and at most 256 and what the device allows.
    private func reductionGroupSize(for length: Int) -> Int {
        let limit = min(256, info.maxWorkGroupSize)
        var size = 1
        while size < max(length, 32), size * 2 <= limit { size *= 2 }
        return size
    }
}

/// Reductions and softmax on OpenCL (`Kernels/reduce.cl`): work-group tree reductions, with a
/// second pass when a few long rows are split over several work-groups, or one work-item per row
/// when there are many rows.
extension OpenCLDevice: ReductionOps {
    private static let family = "reduce"
    /// Below this many rows a long row is split over several work-groups and a second pass.
    private static let rowsThatFillTheDevice = 64

    public func reduce(_ op: ReduceOp, _ x: Tensor, axis: Int?, into out: Tensor) throws {
        let split = try checkReduce(op, x, axis: axis, out: out)
        let rows = split.outer * split.inner
        guard rows > 0 else { return }
        guard split.length > 0 else { return try fill(out, value: 0) }
        let scale = 1 / Float(split.length)
        if rowPerItem(rows: rows, length: split.length, inner: split.inner) {
            try launch1D(Self.family, "reduce_row_per_item", count: rows, groupSize: 64, [
                .tensor(x), .tensor(out), .size(rows), .size(split.length), .size(split.inner),
                .int(op.rawValue), .float(scale),
            ])
            return
        }
        let group = reductionGroupSize(for: split.length)
        let parts = rows >= Self.rowsThatFillTheDevice ? 1 : min(64, (split.length + 32 * group - 1) / (32 * group))
        let groups = rows * parts
        let firstPassOutput = parts == 1 ? out : try Tensor(uninitializedShape: [2 * groups], on: self)
        try launch(Self.family, "reduce_rows", global: [groups * group], local: [group], [
            .tensor(x), .tensor(firstPassOutput), .size(split.length), .size(split.inner), .size(parts), .size(groups),
            .int(op.rawValue), .float(scale), .int(prefersContiguousWork ? 1 : 0),
        ] + Self.scratch(3, group))
        guard parts > 1 else { return }
        let secondGroup = reductionGroupSize(for: parts)
        try launch(Self.family, "reduce_partials", global: [rows * secondGroup], local: [secondGroup], [
            .tensor(firstPassOutput), .tensor(out), .size(parts), .size(groups), .int(op.rawValue), .float(scale),
        ] + Self.scratch(3, secondGroup))
    }

    public func softmax(_ x: Tensor, axis: Int, log: Bool, into out: Tensor) throws {
        let split = try checkSoftmax(op: log ? "logSoftmax" : "softmax", ["x": x, "out": out], axis: axis)
        try launchRows("softmax_rows", split, [.tensor(x), .tensor(out)], log: log)
    }

    public func softmaxBackward(output: Tensor, gradOutput: Tensor, axis: Int, log: Bool, into gradInput: Tensor) throws {
        let split = try checkSoftmax(
            op: log ? "logSoftmax backward" : "softmax backward",
            ["output": output, "gradOutput": gradOutput, "gradInput": gradInput], axis: axis)
        try launchRows("softmax_backward_rows", split, [.tensor(output), .tensor(gradOutput), .tensor(gradInput)], log: log)
    }

    /// Launches a softmax-shaped kernel: a work-group per row, or a work-item per row.
    private func launchRows(_ kernel: String, _ split: AxisSplit, _ tensors: [KernelArgument], log: Bool) throws {
        let rows = split.outer * split.inner
        let perItem = rowPerItem(rows: rows, length: split.length, inner: split.inner)
        let group = perItem ? min(64, info.maxWorkGroupSize) : reductionGroupSize(for: split.length)
        let lanes = perItem ? 1 : group
        try launch(Self.family, kernel, global: [rows * lanes], local: [group], tensors + [
            .size(rows), .size(split.length), .size(split.inner), .size(lanes), .int(log ? 1 : 0),
        ] + Self.scratch(1, perItem ? 1 : group))
    }

    /// Whether one work-item should own each row: on CPU devices whenever there are enough rows;
    /// on GPUs when the rows are strided (neighbouring items then read neighbouring addresses)
    /// or short.
    private func rowPerItem(rows: Int, length: Int, inner: Int) -> Bool {
        guard rows >= Self.rowsThatFillTheDevice else { return false }
        if prefersContiguousWork { return true }
        return inner > 1 ? rows >= 256 : length <= 16
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

    /// `count` local-memory arguments of `items` floats (or ints) each.
    private static func scratch(_ count: Int, _ items: Int) -> [KernelArgument] {
        Array(repeating: .local(bytes: items * 4), count: count)
    }
}

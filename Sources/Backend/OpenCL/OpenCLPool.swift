extension OpenCLDevice: PoolOps {
    public func maxPool2d(_ input: Tensor, _ descriptor: Pool2DDescriptor, into output: Tensor, indices: Tensor?) throws {
        let op = "maxPool2d"
        let plan = try checkedPlan(op, descriptor, input: input, output: output, indices: indices)
        try launchPool(isTwoByTwo(plan) ? "max_pool_2x2_forward" : "max_pool_forward", over: outputGrid(plan), [
            .tensor(input), .tensor(output), .tensor(indices ?? output), .int(indices == nil ? 0 : 1), .size(plan.planes),
        ] + Self.geometry(plan))
    }

    public func maxPool2dBackward(gradOutput: Tensor, indices: Tensor, _ descriptor: Pool2DDescriptor, into gradInput: Tensor) throws {
        let op = "maxPool2dBackward"
        let plan = try checkedPlan(op, descriptor, input: gradInput, output: gradOutput, indices: indices)
        // Windows that do not overlap: one item per output writes the inputs it owns.
        let disjoint = descriptor.strideHeight >= descriptor.kernelHeight && descriptor.strideWidth >= descriptor.kernelWidth
        let kernel = !disjoint ? "max_pool_backward"
            : isTwoByTwo(plan) && plan.height % 2 == 0 && plan.width % 2 == 0 ? "max_pool_2x2_backward"
            : "max_pool_backward_disjoint"
        try launchPool(kernel, over: disjoint ? outputGrid(plan) : inputGrid(plan), [
            .tensor(gradOutput), .tensor(indices), .tensor(gradInput), .size(plan.planes),
        ] + Self.geometry(plan))
    }

    public func avgPool2d(_ input: Tensor, _ descriptor: Pool2DDescriptor, into output: Tensor) throws {
        let op = "avgPool2d"
        let plan = try checkedPlan(op, descriptor, input: input, output: output, indices: nil)
        try launchPool("avg_pool_forward", over: outputGrid(plan), [
            .tensor(input), .tensor(output), .size(plan.planes),
        ] + Self.geometry(plan) + [.int(descriptor.countIncludesPadding ? 1 : 0)])
    }

    public func avgPool2dBackward(gradOutput: Tensor, _ descriptor: Pool2DDescriptor, into gradInput: Tensor) throws {
        let op = "avgPool2dBackward"
        let plan = try checkedPlan(op, descriptor, input: gradInput, output: gradOutput, indices: nil)
        try launchPool("avg_pool_backward", over: inputGrid(plan), [
            .tensor(gradOutput), .tensor(gradInput), .size(plan.planes),
        ] + Self.geometry(plan) + [.int(descriptor.countIncludesPadding ? 1 : 0)])
    }

    private func checkedPlan(
        _ op: String, _ descriptor: Pool2DDescriptor, input: Tensor, output: Tensor, indices: Tensor?
    ) throws -> PoolPlan {
        let plan = try descriptor.plan(for: input.shape, op: op)
        try plan.check(op, on: self, input: input, output: output, indices: indices)
        try checkKernelIndexRange(max(plan.inputCount, plan.outputCount), op: op)
        return plan
    }

    /// The usual window: 2×2, stride 2, no padding (max_pool_2x2_forward and _backward).
    private func isTwoByTwo(_ plan: PoolPlan) -> Bool {
        let d = plan.descriptor
        return d.kernelHeight == 2 && d.kernelWidth == 2 && d.strideHeight == 2 && d.strideWidth == 2
            && d.paddingHeight == 0 && d.paddingWidth == 0
    }

    /// One item per output element: (column, row, plane).
    private func outputGrid(_ plan: PoolPlan) -> [Int] {
        [plan.outputWidth, plan.outputHeight, plan.planes]
    }

    /// One item per input element: (column, row, plane).
    private func inputGrid(_ plan: PoolPlan) -> [Int] {
        [plan.width, plan.height, plan.planes]
    }

    /// Launches `kernel` of pool.cl over `grid` (column, row, plane).
    private func launchPool(_ kernel: String, over grid: [Int], _ arguments: [KernelArgument]) throws {
        try launch("pool", kernel, global: grid, local: valueGroup(grid), arguments)
    }

    /// The `int8` geometry `(H, W, OH, OW, kernel, stride)` and the two paddings.
    private static func geometry(_ plan: PoolPlan) -> [KernelArgument] {
        let d = plan.descriptor
        return [
            .int8([plan.height, plan.width, plan.outputHeight, plan.outputWidth,
                   d.kernelHeight, d.kernelWidth, d.strideHeight, d.strideWidth].map { Int32(clamping: $0) }),
            .size(d.paddingHeight), .size(d.paddingWidth),
        ]
    }
}

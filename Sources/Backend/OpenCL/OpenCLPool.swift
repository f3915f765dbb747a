extension OpenCLDevice: PoolOps {
    public func maxPool2d(_ input: Tensor, _ descriptor: Pool2DDescriptor, into output: Tensor, indices: Tensor?) throws {
        let op = "maxPool2d"
        let plan = try checkedPlan(op, descriptor, input: input, output: output, indices: indices)
        try launch1D("pool", "max_pool_forward", count: plan.outputCount, [
            .tensor(input), .tensor(output), .tensor(indices ?? output), .int(indices == nil ? 0 : 1), .size(plan.planes),
        ] + Self.geometry(plan))
    }

    public func maxPool2dBackward(gradOutput: Tensor, indices: Tensor, _ descriptor: Pool2DDescriptor, into gradInput: Tensor) throws {
        let op = "maxPool2dBackward"
        let plan = try checkedPlan(op, descriptor, input: gradInput, output: gradOutput, indices: indices)
        try launch1D("pool", "max_pool_backward", count: plan.inputCount, [
            .tensor(gradOutput), .tensor(indices), .tensor(gradInput), .size(plan.planes),
        ] + Self.geometry(plan))
    }

    public func avgPool2d(_ input: Tensor, _ descriptor: Pool2DDescriptor, into output: Tensor) throws {
        let op = "avgPool2d"
        let plan = try checkedPlan(op, descriptor, input: input, output: output, indices: nil)
        try launch1D("pool", "avg_pool_forward", count: plan.outputCount, [
            .tensor(input), .tensor(output), .size(plan.planes),
        ] + Self.geometry(plan) + [.int(descriptor.countIncludesPadding ? 1 : 0)])
    }

    public func avgPool2dBackward(gradOutput: Tensor, _ descriptor: Pool2DDescriptor, into gradInput: Tensor) throws {
        let op = "avgPool2dBackward"
        let plan = try checkedPlan(op, descriptor, input: gradInput, output: gradOutput, indices: nil)
        try launch1D("pool", "avg_pool_backward", count: plan.inputCount, [
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

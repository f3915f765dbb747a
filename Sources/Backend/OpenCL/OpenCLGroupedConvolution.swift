/// Grouped convolution on OpenCL (`Kernels/grouped_conv.cl`): one work-item per output, input or
/// weight value.
extension OpenCLDevice: GroupedConvolutionOps {
    private static let family = "grouped_conv"

    public func groupedConv2d(
        _ input: Tensor, weight: Tensor, bias: Tensor?, groups: Int, _ descriptor: Conv2DDescriptor, into output: Tensor
    ) throws {
        let plan = try checkGroupedConv(
            op: "groupedConv2d", input: input, weight: weight, output: output, bias: bias, groups: groups, descriptor)
        let c = plan.conv
        let grid = [c.outputWidth, c.outputHeight, c.batch * c.filters]
        try launch(Self.family, "grouped_conv_forward", global: grid, local: valueGroup(grid), [
            .tensor(input), .tensor(weight), .tensor(bias ?? weight), .int(bias == nil ? 0 : 1), .tensor(output),
        ] + Self.shape(plan))
    }

    public func groupedConv2dBackwardInput(
        gradOutput: Tensor, weight: Tensor, groups: Int, _ descriptor: Conv2DDescriptor, into gradInput: Tensor
    ) throws {
        let plan = try checkGroupedConv(
            op: "groupedConv2dBackwardInput", input: gradInput, weight: weight, output: gradOutput, groups: groups, descriptor)
        let c = plan.conv
        let grid = [c.width, c.height, c.batch * c.channels]
        try launch(Self.family, "grouped_conv_backward_input", global: grid, local: valueGroup(grid), [
            .tensor(gradOutput), .tensor(weight), .tensor(gradInput),
        ] + Self.shape(plan))
    }

    public func groupedConv2dBackwardWeight(
        gradOutput: Tensor, input: Tensor, groups: Int, _ descriptor: Conv2DDescriptor, into gradWeight: Tensor, accumulate: Bool
    ) throws {
        let plan = try checkGroupedConv(
            op: "groupedConv2dBackwardWeight", input: input, weight: gradWeight, output: gradOutput, groups: groups, descriptor)
        try launch1D(Self.family, "grouped_conv_backward_weight", count: gradWeight.count, groupSize: 64, [
            .tensor(gradOutput), .tensor(input), .tensor(gradWeight), .size(gradWeight.count), .int(accumulate ? 1 : 0),
        ] + Self.shape(plan))
    }

    /// The `sizes` and `geometry` arguments of every kernel.
    private static func shape(_ plan: GroupedConvPlan) -> [KernelArgument] {
        let c = plan.conv, d = c.descriptor
        func lanes(_ values: [Int]) -> KernelArgument { .int8(values.map { Int32(clamping: $0) }) }
        return [
            lanes([c.batch, c.channels, c.height, c.width, c.filters, c.kernelHeight, c.kernelWidth, plan.groups]),
            lanes([c.outputHeight, c.outputWidth, d.strideHeight, d.strideWidth, d.paddingHeight, d.paddingWidth, d.dilationHeight, d.dilationWidth]),
        ]
    }
}

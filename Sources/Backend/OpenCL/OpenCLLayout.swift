/// Layout ops on OpenCL (`Kernels/layout.cl`): one work-item per output value, laid out as
/// (innermost output dimension, the rest) so that neighbouring items write neighbouring values.
extension OpenCLDevice: LayoutOps {
    public func permute(_ x: Tensor, axes: [Int], into out: Tensor) throws {
        let plan = try checkPermute(x, axes: axes, out: out)
        let rowLength = plan.dims[plan.dims.count - 1]
        let grid = [rowLength, out.count / max(rowLength, 1)]
        func lanes(_ values: [Int]) -> KernelArgument { .int8(values.map { Int32(clamping: $0) }) }
        try launch("layout", "permute", global: grid, local: valueGroup(grid), [
            .tensor(x), .tensor(out), .size(plan.dims.count), .size(grid[0]), .size(grid[1]),
            lanes(plan.dims), lanes(plan.sourceStrides),
        ])
    }
}

/// Grouped 2-d convolution over NCHW tensors (PyTorch's `groups`): the C input channels and the
/// K filters split into `groups` groups, and filter `k` sees only the `C / groups` channels of its
/// group `k / (K / groups)`. Weight `[K, C / groups, R, S]`; `groups == C` is a depthwise
/// convolution. Computed directly (no im2col): each output value sums `C / groups · R · S` terms.
/// The bias gradient is `conv2dBackwardBias`.
public protocol GroupedConvolutionOps {
    /// `output[n, k, p, q] = bias[k] + Σ_{c', r, s} weight[k, c', r, s] · input[n, g·C/groups + c', …]` for
    /// `k`'s group `g`, positions as in `conv2d` (outside the input counts as 0). Overwrites `output`.
    func groupedConv2d(
        _ input: Tensor, weight: Tensor, bias: Tensor?, groups: Int, _ descriptor: Conv2DDescriptor, into output: Tensor) throws
    /// The gradient with respect to the input; overwrites `gradInput`.
    func groupedConv2dBackwardInput(
        gradOutput: Tensor, weight: Tensor, groups: Int, _ descriptor: Conv2DDescriptor, into gradInput: Tensor) throws
    /// The gradient with respect to the weight, added to `gradWeight` with `accumulate`.
    func groupedConv2dBackwardWeight(
        gradOutput: Tensor, input: Tensor, groups: Int, _ descriptor: Conv2DDescriptor, into gradWeight: Tensor, accumulate: Bool
    ) throws
}

/// The sizes of one grouped convolution.
struct GroupedConvPlan {
    /// The sizes as a full convolution (weight `[K, C, R, S]`).
    let conv: ConvPlan
    let groups: Int
    var channelsPerGroup: Int { conv.channels / groups }
    var filtersPerGroup: Int { conv.filters / groups }
    var weightShape: [Int] { [conv.filters, channelsPerGroup, conv.kernelHeight, conv.kernelWidth] }
}

extension DeviceCore {
    /// Checks a grouped convolution's shapes and devices (`output` is the output, or the output's
    /// gradient) and returns its plan.
    func checkGroupedConv(
        op: String, input: Tensor, weight: Tensor, output: Tensor, bias: Tensor? = nil, groups: Int, _ descriptor: Conv2DDescriptor
    ) throws -> GroupedConvPlan {
        try checkOwnership(of: [input, weight, output] + (bias.map { [$0] } ?? []), op: op)
        guard groups >= 1, input.rank == 4, weight.rank == 4, weight.shape[0] % groups == 0,
              input.shape[1] == weight.shape[1] * groups
        else {
            throw BackendError.shapeMismatch(
                op: op, detail: "input \(input.shape) and weight \(weight.shape) do not make \(groups) groups (weight [K, C / groups, R, S], K divisible by groups)")
        }
        var full = weight.shape
        full[1] = input.shape[1]
        let plan = GroupedConvPlan(conv: try descriptor.plan(input: input.shape, weight: full, op: op), groups: groups)
        guard output.shape == plan.conv.outputShape else {
            throw BackendError.shapeMismatch(op: op, detail: "output has shape \(output.shape), expected \(plan.conv.outputShape)")
        }
        if let bias, bias.shape != [plan.conv.filters] {
            throw BackendError.shapeMismatch(op: op, detail: "bias has shape \(bias.shape), expected [\(plan.conv.filters)]")
        }
        return plan
    }
}

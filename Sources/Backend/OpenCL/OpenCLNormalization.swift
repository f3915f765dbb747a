/// Batch normalization on OpenCL (`Kernels/normalization.cl`): one work-group per channel sums
/// the statistics (or the gradient sums), then one item per value normalizes (or writes the
/// input's gradient).
extension OpenCLDevice: NormalizationOps {
    private static let family = "normalization"

    public func batchNorm(
        _ input: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float, relu: Bool, into output: Tensor, mean: Tensor,
        variance: Tensor
    ) throws {
        let op = "batchNorm"
        let plan = try BatchNormPlan(op, input: input, values: [output], perChannel: [gamma, beta, mean, variance], on: self)
        try checkKernelIndexRange(input.count, op: op)
        let sizes: [KernelArgument] = [.size(plan.batch), .size(plan.channels), .size(plan.spatial)]
        try launchPerChannel("batch_norm_statistics", plan, [.tensor(input), .tensor(mean), .tensor(variance)] + sizes)
        let grid = [plan.spatial, plan.channels, plan.batch]
        try launch(Self.family, "batch_norm_apply", global: grid, local: valueGroup(grid), [
            .tensor(input), .tensor(gamma), .tensor(beta), .tensor(mean), .tensor(variance), .float(epsilon), .size(relu ? 1 : 0),
            .tensor(output),
        ] + sizes)
    }

    public func batchNormBackward(
        gradOutput: Tensor, input: Tensor, gamma: Tensor, mean: Tensor, variance: Tensor, epsilon: Float,
        reluOutput: Tensor?, gradInput: Tensor?, gradGamma: Tensor, gradBeta: Tensor
    ) throws {
        let op = "batchNormBackward"
        let plan = try BatchNormPlan(
            op, input: input, values: [gradOutput, gradInput, reluOutput], perChannel: [gamma, mean, variance, gradGamma, gradBeta],
            on: self)
        try checkKernelIndexRange(input.count, op: op)
        let sizes: [KernelArgument] = [.size(plan.batch), .size(plan.channels), .size(plan.spatial)]
        // Without a fused ReLU the kernels read no mask; the gradient stands in for its buffer.
        let mask: [KernelArgument] = [.tensor(reluOutput ?? gradOutput), .size(reluOutput == nil ? 0 : 1)]
        try launchPerChannel("batch_norm_backward_sums", plan, [.tensor(gradOutput)] + mask + [
            .tensor(input), .tensor(mean), .tensor(variance), .float(epsilon), .tensor(gradGamma),
            .tensor(gradBeta),
        ] + sizes)
        guard let gradInput else { return }
        let grid = [plan.spatial, plan.channels, plan.batch]
        try launch(Self.family, "batch_norm_backward_input", global: grid, local: valueGroup(grid), [.tensor(gradOutput)] + mask + [
            .tensor(input), .tensor(gamma), .tensor(mean), .tensor(variance), .float(epsilon),
            .tensor(gradGamma), .tensor(gradBeta), .tensor(gradInput),
        ] + sizes)
    }

    /// A launch of one work-group per channel: a power of two items, at most 256, with a local
    /// float each for the group's sums (the kernel's last argument).
    private func launchPerChannel(_ kernel: String, _ plan: BatchNormPlan, _ arguments: [KernelArgument]) throws {
        var group = 1
        while group * 2 <= min(256, info.maxWorkGroupSize, plan.perChannel) { group *= 2 }
        try launch(
            Self.family, kernel, global: [group, plan.channels], local: [group, 1],
            arguments + [.local(bytes: group * MemoryLayout<Float>.stride)])
    }
}

/// Layer normalization on OpenCL (`Kernels/layer_norm.cl`): one work-item per row normalizes it
/// (or writes its input gradient), one per feature sums the gamma and beta gradients.
extension OpenCLDevice: LayerNormalizationOps {
    private static let family = "layer_norm"

    public func layerNorm(
        _ input: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float, into output: Tensor, mean: Tensor, inverseStd: Tensor
    ) throws {
        let op = "layerNorm"
        let plan = try LayerNormPlan(
            op, input: input, values: [output], perFeature: [gamma, beta], perRow: [mean, inverseStd], on: self)
        try checkKernelIndexRange(input.count, op: op)
        try launch1D(Self.family, "layer_norm_rows", count: plan.rows, groupSize: 64, [
            .tensor(input), .tensor(gamma), .tensor(beta), .float(epsilon), .tensor(output), .tensor(mean), .tensor(inverseStd),
            .size(plan.rows), .size(plan.features),
        ])
    }

    public func layerNormBackward(
        gradOutput: Tensor, input: Tensor, gamma: Tensor, mean: Tensor, inverseStd: Tensor,
        gradInput: Tensor?, gradGamma: Tensor, gradBeta: Tensor
    ) throws {
        let op = "layerNormBackward"
        let plan = try LayerNormPlan(
            op, input: input, values: [gradOutput, gradInput], perFeature: [gamma, gradGamma, gradBeta],
            perRow: [mean, inverseStd], on: self)
        try checkKernelIndexRange(input.count, op: op)
        let sizes: [KernelArgument] = [.size(plan.rows), .size(plan.features)]
        if let gradInput {
            try launch1D(Self.family, "layer_norm_backward_input", count: plan.rows, groupSize: 64, [
                .tensor(gradOutput), .tensor(input), .tensor(gamma), .tensor(mean), .tensor(inverseStd), .tensor(gradInput),
            ] + sizes)
        }
        try launch1D(Self.family, "layer_norm_backward_parameters", count: plan.features, groupSize: 64, [
            .tensor(gradOutput), .tensor(input), .tensor(mean), .tensor(inverseStd), .tensor(gradGamma), .tensor(gradBeta),
        ] + sizes)
    }
}

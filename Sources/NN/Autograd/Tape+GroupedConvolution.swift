import Backend

extension Tape {
    /// Grouped 2-d convolution of `x` (`[N, C, H, W]`) with `weight` (`[K, C / groups, R, S]`) plus
    /// an optional `bias` (`[K]`), then `activation` (see `GroupedConvolutionOps`).
    public func groupedConv2d(
        _ x: Variable, weight: Variable, bias: Variable?, activation: UnaryOp? = nil, groups: Int, _ descriptor: Conv2DDescriptor
    ) throws -> Variable {
        let device = x.device
        let (input, kernel) = (x.value, weight.value)
        var full = kernel.shape
        if full.count == 4 { full[1] *= groups }
        let result = try output(descriptor.outputShape(input: input.shape, weight: full), on: device)
        try device.groupedConv2d(input, weight: kernel, bias: bias?.value, groups: groups, descriptor, into: result)
        let convolved = record(result, inputs: [x, weight] + (bias.map { [$0] } ?? [])) { gradient in
            if x.requiresGrad {
                let gradInput = try output(input.shape, on: device)
                try device.groupedConv2dBackwardInput(gradOutput: gradient, weight: kernel, groups: groups, descriptor, into: gradInput)
                try x.accumulate(gradInput, owned: true)
            }
            try accumulateGradient(into: weight) { target, accumulate in
                try device.groupedConv2dBackwardWeight(
                    gradOutput: gradient, input: input, groups: groups, descriptor, into: target, accumulate: accumulate)
            }
            if let bias {
                try accumulateGradient(into: bias) { target, accumulate in
                    try device.conv2dBackwardBias(gradOutput: gradient, into: target, accumulate: accumulate)
                }
            }
        }
        return try activation.map { try apply($0, convolved) } ?? convolved
    }
}

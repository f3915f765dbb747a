import Backend

extension Tape {
    /// 2-d convolution of `x` (`[N, C, H, W]`) with `weight` (`[K, C, R, S]`) plus an optional
    /// `bias` (`[K]`), giving `[N, K, P, Q]` (see `Conv2DDescriptor`). The backward pass writes
    /// the weight and bias gradients straight into existing gradients (accumulating).
    public func conv2d(_ x: Variable, weight: Variable, bias: Variable?, _ descriptor: Conv2DDescriptor) throws -> Variable {
        let device = x.device
        let (input, kernel) = (x.value, weight.value)
        let result = try output(descriptor.outputShape(input: input.shape, weight: kernel.shape), on: device)
        try device.conv2d(input, weight: kernel, bias: bias?.value, descriptor, into: result)
        return record(result, inputs: [x, weight] + (bias.map { [$0] } ?? [])) { gradient in
            if x.requiresGrad {
                let gradInput = try output(input.shape, on: device)
                try device.conv2dBackwardInput(gradOutput: gradient, weight: kernel, descriptor, into: gradInput)
                try x.accumulate(gradInput, owned: true)
            }
            try accumulateGradient(into: weight) { target, accumulate in
                try device.conv2dBackwardWeight(gradOutput: gradient, input: input, descriptor, into: target, accumulate: accumulate)
            }
            if let bias {
                try accumulateGradient(into: bias) { target, accumulate in
                    try device.conv2dBackwardBias(gradOutput: gradient, into: target, accumulate: accumulate)
                }
            }
        }
    }
}

import Backend

extension Tape {
    /// 2-d convolution of `x` (`[N, C, H, W]`) with `weight` (`[K, C, R, S]`) plus an optional
    /// `bias` (`[K]`), giving `[N, K, P, Q]` (see `Conv2DDescriptor`), then `activation`. An
    /// activation whose derivative follows from its output (ReLU, leaky ReLU, sigmoid, tanh) is
    /// fused into the convolution's output kernel; others run as a separate op. The backward pass
    /// writes the weight and bias gradients straight into existing gradients (accumulating).
    public func conv2d(
        _ x: Variable, weight: Variable, bias: Variable?, activation: UnaryOp? = nil, _ descriptor: Conv2DDescriptor
    ) throws -> Variable {
        if let activation, !activation.derivativeFollowsFromOutput {
            return try apply(activation, conv2d(x, weight: weight, bias: bias, descriptor))
        }
        let device = x.device
        let (input, kernel) = (x.value, weight.value)
        let result = try output(descriptor.outputShape(input: input.shape, weight: kernel.shape), on: device)
        try device.conv2d(input, weight: kernel, bias: bias?.value, activation: activation, descriptor, into: result)
        return record(result, inputs: [x, weight] + (bias.map { [$0] } ?? [])) { gradient in
            // The output's gradient is this op's alone: it becomes the pre-activation gradient in place.
            if let activation {
                try device.activationBackward(activation, output: result, gradOutput: gradient, into: gradient)
            }
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

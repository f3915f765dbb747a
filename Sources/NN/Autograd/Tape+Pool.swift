import Backend

extension Tape {
    /// Max pooling over `[N, C, H, W]`; the backward pass routes each gradient to its window's maximum.
    public func maxPool2d(_ x: Variable, _ descriptor: Pool2DDescriptor) throws -> Variable {
        let device = x.device
        let result = try output(descriptor.outputShape(for: x.shape, op: "maxPool2d"), on: device)
        let indices = try output(result.shape, on: device)
        try device.maxPool2d(x.value, descriptor, into: result, indices: indices)
        return record(result, inputs: [x]) { gradient in
            let input = try output(x.shape, on: device)
            try device.maxPool2dBackward(gradOutput: gradient, indices: indices, descriptor, into: input)
            try x.accumulate(input, owned: true)
        }
    }

    /// Average pooling over `[N, C, H, W]`.
    public func avgPool2d(_ x: Variable, _ descriptor: Pool2DDescriptor) throws -> Variable {
        let device = x.device
        let result = try output(descriptor.outputShape(for: x.shape, op: "avgPool2d"), on: device)
        try device.avgPool2d(x.value, descriptor, into: result)
        return record(result, inputs: [x]) { gradient in
            let input = try output(x.shape, on: device)
            try device.avgPool2dBackward(gradOutput: gradient, descriptor, into: input)
            try x.accumulate(input, owned: true)
        }
    }
}

import Backend

extension Tape {
    /// The sum of all elements, as a one-element variable of shape `[1]`.
    public func sum(_ x: Variable) throws -> Variable {
        try reduceAll(x, scale: 1)
    }

    /// The mean of all elements, as a one-element variable of shape `[1]`.
    public func mean(_ x: Variable) throws -> Variable {
        try reduceAll(x, scale: 1 / Float(max(x.value.count, 1)))
    }

    /// Sum along `axis`, keeping it as a dimension of size 1.
    public func sum(_ x: Variable, axis: Int) throws -> Variable {
        _ = try AxisSplit(shape: x.shape, axis: axis, op: "sum")
        let device = x.device
        var shape = x.shape
        shape[axis < 0 ? axis + shape.count : axis] = 1
        let result = try output(shape, on: device)
        try device.reduce(.sum, x.value, axis: axis, into: result)
        return record(result, inputs: [x]) { gradient in
            let expanded = try Tensor(repeating: 0, shape: x.shape, on: device)
            try device.binary(.add, expanded, gradient, into: expanded)
            try x.accumulate(expanded, owned: true)
        }
    }

    /// Softmax along `axis`.
    public func softmax(_ x: Variable, axis: Int = -1) throws -> Variable {
        try softmax(x, axis: axis, log: false)
    }

    /// Log-softmax along `axis`.
    public func logSoftmax(_ x: Variable, axis: Int = -1) throws -> Variable {
        try softmax(x, axis: axis, log: true)
    }

    private func softmax(_ x: Variable, axis: Int, log: Bool) throws -> Variable {
        let device = x.device
        let result = try output(x.shape, on: device)
        try device.softmax(x.value, axis: axis, log: log, into: result)
        return record(result, inputs: [x]) { gradient in
            let input = try output(x.shape, on: device)
            try device.softmaxBackward(output: result, gradOutput: gradient, axis: axis, log: log, into: input)
            try x.accumulate(input, owned: true)
        }
    }

    private func reduceAll(_ x: Variable, scale: Float) throws -> Variable {
        let device = x.device
        let result = try output([1], on: device)
        try device.reduce(.sum, x.value, axis: nil, into: result)
        if scale != 1 { try device.binaryScalar(.mul, result, scalar: scale, scalarFirst: false, into: result) }
        return record(result, inputs: [x]) { gradient in
            let expanded = try Tensor(repeating: 0, shape: x.shape, on: device)
            let scaled = try output([1], on: device)
            try device.binaryScalar(.mul, gradient, scalar: scale, scalarFirst: false, into: scaled)
            try device.binary(.add, expanded, scaled, into: expanded)
            try x.accumulate(expanded, owned: true)
        }
    }
}

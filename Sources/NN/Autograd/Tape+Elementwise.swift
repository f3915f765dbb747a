import Backend

extension Tape {
    /// `op(x)` elementwise.
    public func apply(_ op: UnaryOp, _ x: Variable) throws -> Variable {
        let device = x.device
        let result = try output(x.shape, on: device)
        try device.unary(op, x.value, into: result)
        return record(result, inputs: [x]) { gradient in
            let input = try output(x.shape, on: device)
            try device.unaryBackward(op, input: x.value, gradOutput: gradient, into: input)
            try x.accumulate(input, owned: true)
        }
    }

    /// `a + b` with broadcasting.
    public func add(_ a: Variable, _ b: Variable) throws -> Variable {
        try binary(.add, a, b) { gradient, device in
            (gradient, gradient)
        }
    }

    /// `a - b` with broadcasting.
    public func sub(_ a: Variable, _ b: Variable) throws -> Variable {
        try binary(.sub, a, b) { gradient, device in
            let negated = try output(gradient.shape, on: device)
            try device.unary(.neg, gradient, into: negated)
            return (gradient, negated)
        }
    }

    /// `a * b` elementwise with broadcasting.
    public func mul(_ a: Variable, _ b: Variable) throws -> Variable {
        try binary(.mul, a, b) { gradient, device in
            (try product(.mul, gradient, b.value, device), try product(.mul, gradient, a.value, device))
        }
    }

    /// `a / b` elementwise with broadcasting.
    public func div(_ a: Variable, _ b: Variable) throws -> Variable {
        try binary(.div, a, b) { gradient, device in
            let gradA = try product(.div, gradient, b.value, device)
            // d(a/b)/db = -a / b² = -(gradA · a / b)
            let ratio = try product(.mul, gradA, a.value, device)
            let gradB = try product(.div, ratio, b.value, device)
            try device.unary(.neg, gradB, into: gradB)
            return (gradA, gradB)
        }
    }

    /// `x * scalar`.
    public func scale(_ x: Variable, by scalar: Float) throws -> Variable {
        let device = x.device
        let result = try output(x.shape, on: device)
        try device.binaryScalar(.mul, x.value, scalar: scalar, scalarFirst: false, into: result)
        return record(result, inputs: [x]) { gradient in
            let input = try output(x.shape, on: device)
            try device.binaryScalar(.mul, gradient, scalar: scalar, scalarFirst: false, into: input)
            try x.accumulate(input, owned: true)
        }
    }

    /// The same values seen with another shape.
    public func reshape(_ x: Variable, to shape: [Int]) throws -> Variable {
        let result = try x.value.reshaped(shape)
        return record(result, inputs: [x]) { gradient, handsOver in
            try x.accumulate(gradient.reshaped(x.shape), owned: handsOver)
        }
    }

    /// Runs a broadcasting binary op; `gradients` maps the output's gradient to the gradients
    /// of a and b at the output's shape, which are then summed down to each input's shape.
    private func binary(
        _ op: BinaryOp, _ a: Variable, _ b: Variable,
        gradients: @escaping (Tensor, any Device) throws -> (Tensor, Tensor)
    ) throws -> Variable {
        let device = a.device
        let plan = try BroadcastPlan(a.shape, b.shape, op: "\(op)")
        let result = try output(plan.outputShape, on: device)
        try device.binary(op, a.value, b.value, into: result)
        return record(result, inputs: [a, b]) { gradient, handsOver in
            let (gradA, gradB) = try gradients(gradient, device)
            var mayHandOver = handsOver
            for (input, inputGradient) in [(a, gradA), (b, gradB)] where input.requiresGrad {
                let reduced = try reduce(inputGradient, toShape: input.shape)
                // A gradient that still shares memory with the output's is copied, unless the
                // output's gradient may be handed over (to one input only).
                let shares = reduced.buffer === gradient.buffer
                try input.accumulate(reduced, owned: !shares || mayHandOver)
                if shares { mayHandOver = false }
            }
        }
    }
}

/// `op(x, y)` into a new tensor of the broadcast shape.
func product(_ op: BinaryOp, _ x: Tensor, _ y: Tensor, _ device: any Device) throws -> Tensor {
    let result = try output(BroadcastPlan(x.shape, y.shape, op: "\(op)").outputShape, on: device)
    try device.binary(op, x, y, into: result)
    return result
}

/// Sums `gradient` over the dimensions that broadcasting expanded, giving `shape`.
func reduce(_ gradient: Tensor, toShape shape: [Int]) throws -> Tensor {
    if gradient.shape == shape { return gradient }
    let device = gradient.device
    let rank = gradient.shape.count
    let target = Array(repeating: 1, count: rank - shape.count) + shape
    var current = gradient
    for axis in 0..<rank where target[axis] == 1 && current.shape[axis] != 1 {
        var reducedShape = current.shape
        reducedShape[axis] = 1
        let reduced = try output(reducedShape, on: device)
        try device.reduce(.sum, current, axis: axis, into: reduced)
        current = reduced
    }
    return try current.reshaped(shape)
}

extension Tape {
    /// `x + scalar`.
    public func addScalar(_ x: Variable, _ scalar: Float) throws -> Variable {
        let device = x.device
        let result = try output(x.shape, on: device)
        try device.binaryScalar(.add, x.value, scalar: scalar, scalarFirst: false, into: result)
        return record(result, inputs: [x]) { gradient in
            try x.accumulate(gradient, owned: false)
        }
    }
}

/// Elementwise ops on OpenCL: the kernels of `Kernels/elementwise.cl`, one work-item per element
/// and one kernel per op.
extension OpenCLDevice: ElementwiseOps {
    private static let family = "elementwise"

    public func unary(_ op: UnaryOp, _ x: Tensor, into y: Tensor) throws {
        try checkSameCount(op: op.description, ["x": x, "y": y])
        try launch1D(Self.family, "unary_\(op.name)", count: x.count, [
            .tensor(x), .tensor(y), .size(x.count), .float(op.parameter),
        ])
    }

    public func unaryBackward(_ op: UnaryOp, input: Tensor, gradOutput: Tensor, into gradInput: Tensor) throws {
        try checkSameCount(op: "\(op) backward", ["input": input, "gradOutput": gradOutput, "gradInput": gradInput])
        try launch1D(Self.family, "unary_backward_\(op.name)", count: input.count, [
            .tensor(input), .tensor(gradOutput), .tensor(gradInput), .size(input.count), .float(op.parameter),
        ])
    }

    public func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, into out: Tensor) throws {
        let plan = try checkBinary(op, a, b, out: out)
        if plan.isElementwise {
            try launch1D(Self.family, "binary_\(op)", count: out.count, [
                .tensor(a), .tensor(b), .tensor(out), .size(out.count),
            ])
            return
        }
        func lanes(_ values: [Int]) -> KernelArgument { .int8(values.map { Int32(clamping: $0) }) }
        try launch1D(Self.family, "binary_broadcast_\(op)", count: out.count, [
            .tensor(a), .tensor(b), .tensor(out), .size(out.count), .size(plan.dims.count),
            lanes(plan.dims), lanes(plan.stridesA), lanes(plan.stridesB),
        ])
    }

    public func binaryScalar(_ op: BinaryOp, _ x: Tensor, scalar: Float, scalarFirst: Bool, into out: Tensor) throws {
        try checkSameCount(op: op.description, ["x": x, "out": out])
        try launch1D(Self.family, "binary_scalar_\(op)", count: x.count, [
            .tensor(x), .tensor(out), .size(x.count), .float(scalar), .int(scalarFirst ? 1 : 0),
        ])
    }

    public func biasActivation(_ x: Tensor, bias: Tensor, activation: UnaryOp?, into out: Tensor) throws {
        let (_, columns) = try checkBiasActivation(x, bias: bias, out: out)
        try launch1D(Self.family, "bias_\(activation?.name ?? "identity")", count: x.count, [
            .tensor(x), .tensor(bias), .tensor(out), .size(x.count), .size(columns), .float(activation?.parameter ?? 0),
        ])
    }

    public func activationBackward(_ op: UnaryOp, output: Tensor, gradOutput: Tensor, into gradInput: Tensor) throws {
        try checkActivationBackward(op, output: output, gradOutput: gradOutput, gradInput: gradInput)
        try launch1D(Self.family, "activation_backward_\(op.name)", count: output.count, [
            .tensor(output), .tensor(gradOutput), .tensor(gradInput), .size(output.count), .float(op.parameter),
        ])
    }

    public func biasActivationBackward(
        _ activation: UnaryOp?, output: Tensor, gradOutput: Tensor, into gradInput: Tensor, gradBias: Tensor,
        accumulate: Bool
    ) throws {
        let (rows, columns) = try checkBiasActivationBackward(
            activation, output: output, gradOutput: gradOutput, gradInput: gradInput, gradBias: gradBias)
        try launch1D(Self.family, "bias_backward_\(activation?.name ?? "identity")", count: columns, groupSize: 64, [
            .tensor(output), .tensor(gradOutput), .tensor(gradInput), .tensor(gradBias), .size(rows), .size(columns),
            .float(activation?.parameter ?? 0), .int(accumulate ? 1 : 0),
        ])
    }

    public func fill(_ x: Tensor, value: Float) throws {
        try checkOwnership(x, op: "fill")
        try launch1D(Self.family, "fill", count: x.count, [.tensor(x), .size(x.count), .float(value)])
    }
}


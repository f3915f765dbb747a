/// Shape and device checks shared by every device's elementwise ops, so that all devices reject
/// the same inputs with the same messages.
extension DeviceCore {
    /// Checks that the named tensors live on this device and all hold as many elements as the first.
    func checkSameCount(op: String, _ tensors: KeyValuePairs<String, Tensor>) throws {
        try checkOwnership(of: tensors.map(\.value), op: op)
        guard let (firstName, first) = tensors.first else { return }
        for (name, tensor) in tensors.dropFirst() where tensor.count != first.count {
            throw BackendError.shapeMismatch(
                op: op,
                detail: "\(name) has shape \(tensor.shape) (\(tensor.count) elements) but \(firstName) has shape \(first.shape) (\(first.count) elements)")
        }
    }

    /// Checks a broadcasting binary op and returns its plan.
    func checkBinary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, out: Tensor) throws -> BroadcastPlan {
        try checkOwnership(of: [a, b, out], op: op.description)
        let plan = try BroadcastPlan(a.shape, b.shape, op: op.description)
        guard out.count == Tensor.elementCount(plan.outputShape) else {
            throw BackendError.shapeMismatch(
                op: op.description,
                detail: "output has shape \(out.shape), but \(a.shape) and \(b.shape) broadcast to \(plan.outputShape)")
        }
        return plan
    }

    /// Checks an activation's backward pass from its output (`op` must allow it).
    func checkActivationBackward(_ op: UnaryOp?, output: Tensor, gradOutput: Tensor, gradInput: Tensor) throws {
        let name = op.map { "activationBackward \($0)" } ?? "activationBackward"
        if let op, !op.derivativeFollowsFromOutput {
            throw BackendError.invalidArgument(op: name, detail: "\(op)'s derivative does not follow from its output")
        }
        try checkSameCount(op: name, ["output": output, "gradOutput": gradOutput, "gradInput": gradInput])
    }

    /// Checks a fused bias + activation's backward pass and returns the rows and columns.
    func checkBiasActivationBackward(
        _ activation: UnaryOp?, output: Tensor, gradOutput: Tensor, gradInput: Tensor, gradBias: Tensor
    ) throws -> (rows: Int, columns: Int) {
        try checkActivationBackward(activation, output: output, gradOutput: gradOutput, gradInput: gradInput)
        return try checkBiasActivation(output, bias: gradBias, out: gradInput)
    }

    /// Checks a fused bias + activation and returns the rows and columns of `x`.
    func checkBiasActivation(_ x: Tensor, bias: Tensor, out: Tensor) throws -> (rows: Int, columns: Int) {
        let op = "biasActivation"
        try checkSameCount(op: op, ["x": x, "out": out])
        try checkOwnership(bias, op: op)
        guard let columns = x.shape.last else {
            throw BackendError.shapeMismatch(op: op, detail: "x must have at least one dimension, got shape \(x.shape)")
        }
        guard bias.count == columns else {
            throw BackendError.shapeMismatch(
                op: op, detail: "bias has shape \(bias.shape) (\(bias.count) elements), x's last dimension is \(columns) (x has shape \(x.shape))")
        }
        return (columns == 0 ? 0 : x.count / columns, columns)
    }
}

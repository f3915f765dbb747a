/// Shape, device and aliasing checks shared by every device's convolution ops, so that all
/// devices reject the same calls with the same messages.
extension DeviceCore {
    /// Checks a forward convolution and returns its plan.
    func checkConv2d(
        _ input: Tensor, weight: Tensor, bias: Tensor?, activation: UnaryOp?, _ descriptor: Conv2DDescriptor,
        output: Tensor
    ) throws -> ConvPlan {
        let op = "conv2d"
        if let activation, !activation.derivativeFollowsFromOutput {
            throw BackendError.invalidArgument(
                op: op, detail: "a fused activation must be one whose derivative follows from its output, not \(activation)")
        }
        let plan = try descriptor.plan(input: input.shape, weight: weight.shape, op: op)
        try checkConvTensors(op: op, plan, written: ("output", output, plan.outputShape), read: [
            ("input", input, plan.inputShape), ("weight", weight, plan.weightShape),
        ] + (bias.map { [("bias", $0, [plan.filters])] } ?? []))
        return plan
    }

    /// Checks an input-gradient call and returns its plan (the input shape is `gradInput`'s).
    func checkConv2dBackwardInput(
        gradOutput: Tensor, weight: Tensor, _ descriptor: Conv2DDescriptor, gradInput: Tensor
    ) throws -> ConvPlan {
        let op = "conv2dBackwardInput"
        let plan = try descriptor.plan(input: gradInput.shape, weight: weight.shape, op: op)
        try checkConvTensors(op: op, plan, written: ("gradInput", gradInput, plan.inputShape), read: [
            ("gradOutput", gradOutput, plan.outputShape), ("weight", weight, plan.weightShape),
        ])
        return plan
    }

    /// Checks a weight-gradient call and returns its plan (the weight shape is `gradWeight`'s).
    func checkConv2dBackwardWeight(
        gradOutput: Tensor, input: Tensor, _ descriptor: Conv2DDescriptor, gradWeight: Tensor
    ) throws -> ConvPlan {
        let op = "conv2dBackwardWeight"
        let plan = try descriptor.plan(input: input.shape, weight: gradWeight.shape, op: op)
        try checkConvTensors(op: op, plan, written: ("gradWeight", gradWeight, plan.weightShape), read: [
            ("gradOutput", gradOutput, plan.outputShape), ("input", input, plan.inputShape),
        ])
        return plan
    }

    /// Checks a bias-gradient call and returns `gradOutput` as (images, filters, positions per image).
    func checkConv2dBackwardBias(gradOutput: Tensor, gradBias: Tensor) throws -> (batch: Int, filters: Int, plane: Int) {
        let op = "conv2dBackwardBias"
        let shape = gradOutput.shape
        guard shape.count == 4 else {
            throw BackendError.shapeMismatch(op: op, detail: "gradOutput must be [N, K, P, Q] (rank 4), got shape \(shape)")
        }
        guard gradBias.shape == [shape[1]] else {
            throw BackendError.shapeMismatch(
                op: op, detail: "gradBias has shape \(gradBias.shape), expected [\(shape[1])] for gradOutput \(shape)")
        }
        try checkOwnership(of: [gradOutput, gradBias], op: op)
        guard gradBias.buffer !== gradOutput.buffer else {
            throw BackendError.invalidArgument(op: op, detail: "gradBias shares memory with gradOutput")
        }
        return (shape[0], shape[1], shape[2] * shape[3])
    }

    /// Checks that every tensor has its expected shape and lives on this device, and that the
    /// written tensor shares memory with none of the read ones.
    private func checkConvTensors(
        op: String, _ plan: ConvPlan, written: ConvOperand, read: [ConvOperand]
    ) throws {
        for operand in [written] + read {
            guard operand.tensor.shape == operand.shape else {
                throw BackendError.shapeMismatch(
                    op: op,
                    detail: "\(operand.name) has shape \(operand.tensor.shape), expected \(operand.shape) (\(plan.descriptor))")
            }
            try checkOwnership(operand.tensor, op: op)
        }
        for operand in read where operand.tensor.buffer === written.tensor.buffer {
            throw BackendError.invalidArgument(op: op, detail: "\(written.name) shares memory with \(operand.name)")
        }
    }
}

/// A tensor of a convolution call with its name in messages and the shape it must have.
private typealias ConvOperand = (name: String, tensor: Tensor, shape: [Int])

extension OpenCLDevice: LossOps {
    public func softmaxCrossEntropy(
        logits: Tensor, labels: Tensor, reduction: LossReduction, into loss: Tensor, gradLogits: Tensor?
    ) throws {
        let op = "softmaxCrossEntropy"
        let plan = try checkedCrossEntropy(
            op, logits: logits, labels: labels, reduction: reduction, loss: loss, gradLogits: gradLogits)
        try checkKernelIndexRange(logits.count, op: op)
        try reduceSamples(plan, into: loss) { sampleLosses in
            try launch1D("loss", "cross_entropy", count: plan.samples, groupSize: 64, [
                .tensor(logits), .tensor(labels), .size(plan.samples), .size(plan.classes), .tensor(sampleLosses),
                .tensor(gradLogits ?? sampleLosses), .int(gradLogits == nil ? 0 : 1), .float(plan.gradientScale),
            ])
        }
    }

    public func softmaxCrossEntropyBackward(
        logits: Tensor, labels: Tensor, reduction: LossReduction, gradOutput: Tensor?, into gradLogits: Tensor
    ) throws {
        let op = "softmaxCrossEntropyBackward"
        let plan = try checkedCrossEntropyBackward(
            op, logits: logits, labels: labels, reduction: reduction, gradOutput: gradOutput, gradLogits: gradLogits)
        try checkKernelIndexRange(logits.count, op: op)
        try launch1D("loss", "cross_entropy_backward", count: plan.samples, groupSize: 64, [
            .tensor(logits), .tensor(labels), .size(plan.samples), .size(plan.classes),
        ] + Self.upstream(gradOutput, fallback: logits) + [.tensor(gradLogits), .float(plan.gradientScale)])
    }

    public func meanSquaredError(prediction: Tensor, target: Tensor, reduction: LossReduction, into loss: Tensor) throws {
        try elementwiseLoss("meanSquaredError", kind: 0, prediction, target, reduction, loss)
    }

    public func meanSquaredErrorBackward(
        prediction: Tensor, target: Tensor, reduction: LossReduction, gradOutput: Tensor?, into gradPrediction: Tensor
    ) throws {
        try elementwiseLossBackward("meanSquaredErrorBackward", kind: 0, prediction, target, reduction, gradOutput, gradPrediction)
    }

    public func binaryCrossEntropyWithLogits(logits: Tensor, targets: Tensor, reduction: LossReduction, into loss: Tensor) throws {
        try elementwiseLoss("binaryCrossEntropyWithLogits", kind: 1, logits, targets, reduction, loss)
    }

    public func binaryCrossEntropyWithLogitsBackward(
        logits: Tensor, targets: Tensor, reduction: LossReduction, gradOutput: Tensor?, into gradLogits: Tensor
    ) throws {
        try elementwiseLossBackward("binaryCrossEntropyWithLogitsBackward", kind: 1, logits, targets, reduction, gradOutput, gradLogits)
    }

    /// `kind` selects the loss in `Kernels/loss.cl`: 0 squared error, 1 binary cross-entropy.
    private func elementwiseLoss(
        _ op: String, kind: Int32, _ input: Tensor, _ target: Tensor, _ reduction: LossReduction, _ loss: Tensor
    ) throws {
        let plan = try LossPlan.elementwise(op, input, target, reduction: reduction)
        try plan.checkLoss(op, loss)
        try checkLossTensors(op, [input, target, loss])
        try checkKernelIndexRange(input.count, op: op)
        try reduceSamples(plan, into: loss) { sampleLosses in
            try launch1D("loss", "elementwise_loss", count: plan.samples, [
                .tensor(input), .tensor(target), .size(plan.samples), .int(kind), .tensor(sampleLosses),
            ])
        }
    }

    private func elementwiseLossBackward(
        _ op: String, kind: Int32, _ input: Tensor, _ target: Tensor, _ reduction: LossReduction,
        _ gradOutput: Tensor?, _ gradInput: Tensor
    ) throws {
        let plan = try LossPlan.elementwise(op, input, target, reduction: reduction)
        try plan.checkGradients(op, gradOutput: gradOutput, gradInput: gradInput)
        try checkLossTensors(op, [input, target, gradOutput, gradInput])
        try checkKernelIndexRange(input.count, op: op)
        try launch1D("loss", "elementwise_loss_backward", count: plan.samples, [
            .tensor(input), .tensor(target), .size(plan.samples), .int(kind),
        ] + Self.upstream(gradOutput, fallback: input) + [.tensor(gradInput), .float(plan.gradientScale)])
    }

    /// Lets `writeSampleLosses` fill a buffer of per-sample losses (the loss tensor itself for
    /// `.none`), then sums it into the loss: per-item partials, then one item adds them up.
    private func reduceSamples(_ plan: LossPlan, into loss: Tensor, _ writeSampleLosses: (Tensor) throws -> Void) throws {
        if plan.reduction == .none {
            try writeSampleLosses(loss)
            return
        }
        let sampleLosses = try Tensor(uninitializedShape: [max(1, plan.samples)], on: self)
        try writeSampleLosses(sampleLosses)
        let parts = max(1, min(plan.samples, 1024))
        let partials = try Tensor(uninitializedShape: [parts], on: self)
        let scale: Float = plan.reduction == .mean && plan.samples > 0 ? 1 / Float(plan.samples) : 1
        try launch1D("loss", "sum_partials", count: parts, [
            .tensor(sampleLosses), .size(plan.samples), .tensor(partials), .size(parts),
        ])
        try launch1D("loss", "sum_finish", count: 1, groupSize: 1, [
            .tensor(partials), .size(parts), .tensor(loss), .float(scale),
        ])
    }

    /// The upstream gradient as the kernels take it: a buffer and a mode (0: none, 1: one value,
    /// 2: one per sample). `fallback` fills the buffer slot when there is none.
    private static func upstream(_ gradOutput: Tensor?, fallback: Tensor) -> [KernelArgument] {
        guard let gradOutput else { return [.tensor(fallback), .int(0)] }
        return [.tensor(gradOutput), .int(gradOutput.count > 1 ? 2 : 1)]
    }
}

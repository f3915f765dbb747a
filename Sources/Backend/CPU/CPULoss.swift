import Foundation

extension CPUDevice: LossOps {
    public func softmaxCrossEntropy(
        logits: Tensor, labels: Tensor, reduction: LossReduction, into loss: Tensor, gradLogits: Tensor?
    ) throws {
        let op = "softmaxCrossEntropy"
        let plan = try checkedCrossEntropy(
            op, logits: logits, labels: labels, reduction: reduction, loss: loss, gradLogits: gradLogits)
        let z = try pointer(logits, op: op)
        let y = try pointer(labels, op: op)
        let grad = try gradLogits.map { try pointer($0, op: op) }
        try reduceSamples(plan, into: loss) { row in
            Self.crossEntropyRow(z + row * plan.classes, classes: plan.classes, label: y[row],
                                 grad: grad.map { $0 + row * plan.classes }, gradFactor: plan.gradientScale)
        }
    }

    public func softmaxCrossEntropyBackward(
        logits: Tensor, labels: Tensor, reduction: LossReduction, gradOutput: Tensor?, into gradLogits: Tensor
    ) throws {
        let op = "softmaxCrossEntropyBackward"
        let plan = try checkedCrossEntropyBackward(
            op, logits: logits, labels: labels, reduction: reduction, gradOutput: gradOutput, gradLogits: gradLogits)
        let z = try pointer(logits, op: op)
        let y = try pointer(labels, op: op)
        let grad = try pointer(gradLogits, op: op)
        let upstream = try Upstream(gradOutput, device: self, op: op)
        parallelFor(plan.samples, grain: max(1, 16_384 / plan.classes)) { rows in
            for row in rows {
                _ = Self.crossEntropyRow(z + row * plan.classes, classes: plan.classes, label: y[row],
                                         grad: grad + row * plan.classes, gradFactor: plan.gradientScale * upstream[row])
            }
        }
    }

    public func meanSquaredError(prediction: Tensor, target: Tensor, reduction: LossReduction, into loss: Tensor) throws {
        try elementwiseLoss("meanSquaredError", prediction, target, reduction, loss) { x, y in (x - y) * (x - y) }
    }

    public func meanSquaredErrorBackward(
        prediction: Tensor, target: Tensor, reduction: LossReduction, gradOutput: Tensor?, into gradPrediction: Tensor
    ) throws {
        try elementwiseLossBackward(
            "meanSquaredErrorBackward", prediction, target, reduction, gradOutput, gradPrediction
        ) { x, y in 2 * (x - y) }
    }

    public func binaryCrossEntropyWithLogits(logits: Tensor, targets: Tensor, reduction: LossReduction, into loss: Tensor) throws {
        try elementwiseLoss("binaryCrossEntropyWithLogits", logits, targets, reduction, loss) { x, y in
            Swift.max(x, 0) - x * y + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
        }
    }

    public func binaryCrossEntropyWithLogitsBackward(
        logits: Tensor, targets: Tensor, reduction: LossReduction, gradOutput: Tensor?, into gradLogits: Tensor
    ) throws {
        try elementwiseLossBackward(
            "binaryCrossEntropyWithLogitsBackward", logits, targets, reduction, gradOutput, gradLogits
        ) { x, y in
            let e = Foundation.exp(-Swift.abs(x))
            return (x >= 0 ? 1 / (1 + e) : e / (1 + e)) - y
        }
    }

    /// One row of softmax cross-entropy: returns the row's loss and, with `grad`, writes
    /// `(softmax − onehot) · gradFactor`. An invalid label gives NaN for both.
    static func crossEntropyRow(
        _ z: UnsafeMutablePointer<Float>, classes: Int, label: Float, grad: UnsafeMutablePointer<Float>?, gradFactor: Float
    ) -> Float {
        let valid = label >= 0 && label < Float(classes) && label == label.rounded(.down)
        let target = valid ? Int(label) : 0
        var largest = -Float.infinity
        for j in 0..<classes { largest = Swift.max(largest, z[j]) }
        var sum: Float = 0
        for j in 0..<classes { sum += Foundation.exp(z[j] - largest) }
        if let grad {
            for j in 0..<classes {
                let probability = Foundation.exp(z[j] - largest) / sum
                grad[j] = valid ? (probability - (j == target ? 1 : 0)) * gradFactor : .nan
            }
        }
        return valid ? Foundation.log(sum) - (z[target] - largest) : .nan
    }

    /// Runs `sampleLoss` for every sample and writes the losses (`.none`) or their sum or mean.
    private func reduceSamples(_ plan: LossPlan, into loss: Tensor, _ sampleLoss: (Int) -> Float) throws {
        let out = try pointer(loss, op: "loss")
        let grain = Swift.max(1, 16_384 / plan.classes)
        if plan.reduction == .none {
            parallelFor(plan.samples, grain: grain) { range in
                for sample in range { out[sample] = sampleLoss(sample) }
            }
            return
        }
        var losses = [Float](repeating: 0, count: plan.samples)
        losses.withUnsafeMutableBufferPointer { buffer in
            let values = UncheckedSendable(buffer)
            parallelFor(plan.samples, grain: grain) { range in
                for sample in range { values.value[sample] = sampleLoss(sample) }
            }
        }
        let total = losses.reduce(0.0) { $0 + Double($1) }
        out[0] = Float(plan.reduction == .mean && plan.samples > 0 ? total / Double(plan.samples) : total)
    }

    private func elementwiseLoss(
        _ op: String, _ input: Tensor, _ target: Tensor, _ reduction: LossReduction, _ loss: Tensor,
        _ function: (Float, Float) -> Float
    ) throws {
        let plan = try LossPlan.elementwise(op, input, target, reduction: reduction)
        try plan.checkLoss(op, loss)
        try checkLossTensors(op, [input, target, loss])
        let x = try pointer(input, op: op)
        let y = try pointer(target, op: op)
        try reduceSamples(plan, into: loss) { i in function(x[i], y[i]) }
    }

    private func elementwiseLossBackward(
        _ op: String, _ input: Tensor, _ target: Tensor, _ reduction: LossReduction, _ gradOutput: Tensor?,
        _ gradInput: Tensor, _ derivative: (Float, Float) -> Float
    ) throws {
        let plan = try LossPlan.elementwise(op, input, target, reduction: reduction)
        try plan.checkGradients(op, gradOutput: gradOutput, gradInput: gradInput)
        try checkLossTensors(op, [input, target, gradOutput, gradInput])
        let x = try pointer(input, op: op)
        let y = try pointer(target, op: op)
        let out = try pointer(gradInput, op: op)
        let upstream = try Upstream(gradOutput, device: self, op: op)
        let scale = plan.gradientScale
        parallelFor(plan.samples) { range in
            for i in range { out[i] = derivative(x[i], y[i]) * scale * upstream[i] }
        }
    }
}

/// A loss's upstream gradient: 1 when absent, one value for a reduced loss, or one per sample.
private struct Upstream {
    let values: UnsafeMutablePointer<Float>?
    let perSample: Bool

    init(_ gradOutput: Tensor?, device: CPUDevice, op: String) throws {
        values = try gradOutput.map { try device.pointer($0, op: op) }
        perSample = (gradOutput?.count ?? 1) > 1
    }

    subscript(sample: Int) -> Float {
        guard let values else { return 1 }
        return perSample ? values[sample] : values[0]
    }
}

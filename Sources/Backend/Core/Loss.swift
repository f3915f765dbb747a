/// How a loss folds its per-sample values.
public enum LossReduction: String, CaseIterable, Sendable, Codable {
    /// One value per sample (per row for cross-entropy, per element otherwise).
    case none
    /// The mean over samples: one value.
    case mean
    /// The sum over samples: one value.
    case sum
}

/// Loss functions and their gradients.
///
/// A loss tensor has one element for `.mean` and `.sum`, and one per sample for `.none`.
/// Backward ops take the loss's upstream gradient `gradOutput` (the loss tensor's count; nil
/// means 1) and write the gradient with respect to the input.
public protocol LossOps {
    /// Softmax cross-entropy with integer labels, stable for large logits. `logits` is
    /// `[rows, classes]` (leading dimensions fold into rows); `labels` holds one class index per
    /// row as a Float. With `gradLogits`, also writes the gradient of the loss (for `.none`, of
    /// the sum of the row losses): `softmax − onehot`, divided by `rows` for `.mean`. A label
    /// that is not an integer in `0..<classes` makes its row's loss and gradient NaN.
    func softmaxCrossEntropy(
        logits: Tensor, labels: Tensor, reduction: LossReduction, into loss: Tensor, gradLogits: Tensor?) throws
    /// The gradient of `softmaxCrossEntropy` with respect to the logits, times `gradOutput`.
    func softmaxCrossEntropyBackward(
        logits: Tensor, labels: Tensor, reduction: LossReduction, gradOutput: Tensor?, into gradLogits: Tensor) throws
    /// `(prediction − target)²` per element, reduced.
    func meanSquaredError(prediction: Tensor, target: Tensor, reduction: LossReduction, into loss: Tensor) throws
    /// `2 (prediction − target)` (divided by the count for `.mean`), times `gradOutput`.
    func meanSquaredErrorBackward(
        prediction: Tensor, target: Tensor, reduction: LossReduction, gradOutput: Tensor?, into gradPrediction: Tensor) throws
    /// Binary cross-entropy of `sigmoid(logits)` against `targets` in [0, 1], computed stably as
    /// `max(x, 0) − x·y + log(1 + e^−|x|)` per element, reduced.
    func binaryCrossEntropyWithLogits(logits: Tensor, targets: Tensor, reduction: LossReduction, into loss: Tensor) throws
    /// `sigmoid(x) − y` (divided by the count for `.mean`), times `gradOutput`.
    func binaryCrossEntropyWithLogitsBackward(
        logits: Tensor, targets: Tensor, reduction: LossReduction, gradOutput: Tensor?, into gradLogits: Tensor) throws
}

/// The sizes of one loss call, validated.
struct LossPlan {
    /// Samples: rows for cross-entropy, elements otherwise.
    var samples: Int
    /// Values per sample: classes for cross-entropy, 1 otherwise.
    var classes: Int
    var reduction: LossReduction

    /// The factor each sample's gradient carries: `1 / samples` for `.mean`, else 1.
    var gradientScale: Float { reduction == .mean && samples > 0 ? 1 / Float(samples) : 1 }
    /// The element count of the loss tensor.
    var lossCount: Int { reduction == .none ? samples : 1 }

    /// Cross-entropy: logits `[rows, classes]`, one label per row.
    static func crossEntropy(_ op: String, logits: Tensor, labels: Tensor, reduction: LossReduction) throws -> LossPlan {
        guard let classes = logits.shape.last, classes > 0 else {
            throw BackendError.shapeMismatch(op: op, detail: "logits of shape \(logits.shape) have no classes")
        }
        let rows = logits.count / classes
        guard labels.count == rows else {
            throw BackendError.shapeMismatch(
                op: op, detail: "\(labels.count) labels for \(rows) rows of logits with shape \(logits.shape)")
        }
        return LossPlan(samples: rows, classes: classes, reduction: reduction)
    }

    /// Elementwise losses: prediction and target of one shape.
    static func elementwise(_ op: String, _ prediction: Tensor, _ target: Tensor, reduction: LossReduction) throws -> LossPlan {
        guard prediction.shape == target.shape else {
            throw BackendError.shapeMismatch(op: op, detail: "input \(prediction.shape) and target \(target.shape) differ")
        }
        return LossPlan(samples: prediction.count, classes: 1, reduction: reduction)
    }

    /// Checks the loss tensor's element count.
    func checkLoss(_ op: String, _ loss: Tensor) throws {
        guard loss.count == lossCount else {
            throw BackendError.shapeMismatch(
                op: op, detail: "loss has \(loss.count) elements; reduction \(reduction.rawValue) gives \(lossCount)")
        }
    }

    /// Checks an upstream gradient (the loss's count) and a gradient output (the input's count).
    func checkGradients(_ op: String, gradOutput: Tensor?, gradInput: Tensor?) throws {
        if let gradOutput, gradOutput.count != lossCount {
            throw BackendError.shapeMismatch(
                op: op, detail: "gradOutput has \(gradOutput.count) elements; the loss has \(lossCount)")
        }
        if let gradInput, gradInput.count != samples * classes {
            throw BackendError.shapeMismatch(
                op: op, detail: "the gradient has \(gradInput.count) elements; the input has \(samples * classes)")
        }
    }
}

extension LossOps where Self: DeviceCore {
    /// Checks that every given tensor lives on this device.
    func checkLossTensors(_ op: String, _ tensors: [Tensor?]) throws {
        for tensor in tensors.compactMap({ $0 }) { try checkOwnership(tensor, op: op) }
    }

    /// The plan of a `softmaxCrossEntropy` call, after checking every tensor's size and device.
    func checkedCrossEntropy(
        _ op: String, logits: Tensor, labels: Tensor, reduction: LossReduction, loss: Tensor, gradLogits: Tensor?
    ) throws -> LossPlan {
        let plan = try LossPlan.crossEntropy(op, logits: logits, labels: labels, reduction: reduction)
        try plan.checkLoss(op, loss)
        try plan.checkGradients(op, gradOutput: nil, gradInput: gradLogits)
        try checkLossTensors(op, [logits, labels, loss, gradLogits])
        return plan
    }

    /// The plan of a `softmaxCrossEntropyBackward` call, after checking every tensor's size and device.
    func checkedCrossEntropyBackward(
        _ op: String, logits: Tensor, labels: Tensor, reduction: LossReduction, gradOutput: Tensor?, gradLogits: Tensor
    ) throws -> LossPlan {
        let plan = try LossPlan.crossEntropy(op, logits: logits, labels: labels, reduction: reduction)
        try plan.checkGradients(op, gradOutput: gradOutput, gradInput: gradLogits)
        try checkLossTensors(op, [logits, labels, gradOutput, gradLogits])
        return plan
    }
}

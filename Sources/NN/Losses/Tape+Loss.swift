import Backend

extension Tape {
    /// Mean softmax cross-entropy of `logits` (`[batch, classes]`) against integer `labels`
    /// (one class index per row, as Float). Loss and gradient come from one fused op.
    public func crossEntropy(logits: Variable, labels: Tensor) throws -> Variable {
        let device = logits.device
        let loss = try output([1], on: device)
        let gradLogits = isRecording && logits.requiresGrad ? try output(logits.shape, on: device) : nil
        try device.softmaxCrossEntropy(
            logits: logits.value, labels: labels, reduction: .mean, into: loss, gradLogits: gradLogits)
        return record(loss, inputs: [logits]) { [unowned self] gradient in
            guard let gradLogits else { return }
            // Straight from `backward`, the loss's gradient is 1: nothing to scale.
            if gradient.buffer !== seed?.buffer { try device.binary(.mul, gradLogits, gradient, into: gradLogits) }
            try logits.accumulate(gradLogits, owned: true)
        }
    }

    /// Mean squared error of `prediction` against `target` (same shape).
    public func meanSquaredError(prediction: Variable, target: Tensor) throws -> Variable {
        let device = prediction.device
        return try meanLoss(of: prediction) { loss in
            try device.meanSquaredError(prediction: prediction.value, target: target, reduction: .mean, into: loss)
        } backward: { gradient, input in
            try device.meanSquaredErrorBackward(
                prediction: prediction.value, target: target, reduction: .mean, gradOutput: gradient, into: input)
        }
    }

    /// Mean binary cross-entropy of `sigmoid(logits)` against `targets` in [0, 1] (same shape).
    public func binaryCrossEntropy(logits: Variable, targets: Tensor) throws -> Variable {
        let device = logits.device
        return try meanLoss(of: logits) { loss in
            try device.binaryCrossEntropyWithLogits(logits: logits.value, targets: targets, reduction: .mean, into: loss)
        } backward: { gradient, input in
            try device.binaryCrossEntropyWithLogitsBackward(
                logits: logits.value, targets: targets, reduction: .mean, gradOutput: gradient, into: input)
        }
    }

    /// A scalar loss of `input`: `forward` writes it into a `[1]` tensor; `backward` writes the
    /// input's gradient (second argument) from the loss gradient (first).
    private func meanLoss(
        of input: Variable, forward: (Tensor) throws -> Void,
        backward: @escaping (Tensor, Tensor) throws -> Void
    ) throws -> Variable {
        let loss = try output([1], on: input.device)
        try forward(loss)
        return record(loss, inputs: [input]) { gradient in
            let gradInput = try output(input.shape, on: input.device)
            try backward(gradient, gradInput)
            try input.accumulate(gradInput, owned: true)
        }
    }

    /// `strength/2 · Σ p²` over `parameters` (the L2 penalty, weight decay as a loss term).
    public func l2Penalty(_ parameters: [Variable], strength: Float) throws -> Variable? {
        try penalty(parameters) { try scale(sum(apply(.square, $0)), by: strength / 2) }
    }

    /// `strength · Σ |p|` over `parameters` (the L1 penalty, which drives weights to zero).
    public func l1Penalty(_ parameters: [Variable], strength: Float) throws -> Variable? {
        try penalty(parameters) { try scale(sum(apply(.abs, $0)), by: strength) }
    }

    private func penalty(_ parameters: [Variable], _ term: (Variable) throws -> Variable) throws -> Variable? {
        var total: Variable?
        for parameter in parameters {
            let value = try term(parameter)
            total = try total.map { try add($0, value) } ?? value
        }
        return total
    }
}

/// The training loss a model is fit with.
public enum Loss: String, Sendable, Codable, CaseIterable {
    /// Softmax cross-entropy over class logits, integer labels.
    case crossEntropy = "cross_entropy"
    /// Mean squared error, for regression.
    case meanSquaredError = "mse"
    /// Binary cross-entropy on one logit per sample, targets 0 or 1.
    case binaryCrossEntropy = "binary_cross_entropy"

    /// The loss of `output` against `target` recorded on `tape`.
    public func callAsFunction(_ output: Variable, _ target: Tensor, tape: Tape) throws -> Variable {
        switch self {
        case .crossEntropy: try tape.crossEntropy(logits: output, labels: target)
        case .meanSquaredError: try tape.meanSquaredError(prediction: output, target: target.reshaped(output.shape))
        case .binaryCrossEntropy: try tape.binaryCrossEntropy(logits: output, targets: target.reshaped(output.shape))
        }
    }
}

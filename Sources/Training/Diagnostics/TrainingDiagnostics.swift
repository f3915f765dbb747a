import Backend
import Foundation

/// Reads a finished training run (its history, step losses and sampled gradient norms) the way
/// a person tuning by hand would, and says what it sees: over-fitting, under-fitting, unstable
/// training, vanishing or exploding gradients, and the throughput and memory figures.
public struct TrainingDiagnostics: Sendable {
    /// Validation loss counts as risen when it ends this fraction above its minimum.
    public var overfitRise = 0.10
    /// Training counts as under-fitting when its final loss keeps more than this fraction of the
    /// baseline loss (the loss of a constant prediction).
    public var underfitFraction = 0.3
    /// A loss curve counts as flat when its last third falls by less than this fraction.
    public var flatFraction = 0.01
    /// A step loss this many times the median of the preceding window is a spike.
    public var spikeFactor = 2.0
    /// Steps in the window a spike is measured against.
    public var spikeWindow = 20
    /// The share of the progress made since the first steps that a spike must undo.
    public var spikeUndo = 0.5
    /// A layer whose gradient norm is below this fraction of the largest layer's is starved.
    public var vanishingRatio = 1e-3
    /// A gradient norm above this is exploding.
    public var explodingNorm = 1e3

    public init() {}

    /// The diagnosis of a trainer's run. `baselineLoss` is the loss of a constant prediction
    /// (ln C for C balanced classes, the target variance for MSE); without it under-fitting is
    /// judged from flat curves only.
    public func diagnose(_ trainer: Trainer, baselineLoss: Double? = nil) -> Diagnosis {
        diagnose(
            history: trainer.history, stepLosses: trainer.stepLosses, gradientNorms: trainer.gradientNorms,
            baselineLoss: baselineLoss)
    }

    /// The diagnosis of a run from its parts.
    public func diagnose(
        history: TrainingHistory, stepLosses: [Float] = [], gradientNorms: GradientNormLog = GradientNormLog(),
        baselineLoss: Double? = nil
    ) -> Diagnosis {
        var findings: [DiagnosticFinding] = []
        let overfit = overfitting(history)
        if let overfit { findings.append(overfit) }
        if overfit == nil, let underfit = underfitting(history, baselineLoss: baselineLoss) { findings.append(underfit) }
        if let unstable = instability(history, stepLosses: stepLosses) { findings.append(unstable) }
        findings += gradients(gradientNorms)
        if !findings.contains(where: { $0.kind == .overfitting || $0.kind == .underfitting }), let last = history.epochs.last {
            var numbers = ["train_loss": last.trainLoss]
            numbers["validation_loss"] = last.validationLoss
            let validation = last.validationLoss.map { ", validation loss \(Self.number($0))" } ?? ""
            findings.append(DiagnosticFinding(
                kind: .fit, severity: .info,
                message: "no sign of over- or under-fitting: training loss \(Self.number(last.trainLoss))\(validation) after \(last.epoch) epochs.",
                numbers: numbers))
        }
        if let performance = performance(history) { findings.append(performance) }
        let ordered = findings.filter { $0.severity == .warning } + findings.filter { $0.severity == .info }
        return Diagnosis(findings: ordered)
    }

    // MARK: - Fit

    /// Validation loss ends well above its minimum while training loss kept falling.
    func overfitting(_ history: TrainingHistory) -> DiagnosticFinding? {
        let epochs = history.epochs.filter { $0.validationLoss?.isFinite == true }
        guard epochs.count >= 3, let best = epochs.min(by: { $0.validationLoss! < $1.validationLoss! }),
              let last = epochs.last, best.epoch < last.epoch,
              let bestLoss = best.validationLoss, let lastLoss = last.validationLoss
        else { return nil }
        let rise = (lastLoss - bestLoss) / max(abs(bestLoss), 1e-12)
        guard rise > overfitRise, last.trainLoss < best.trainLoss else { return nil }
        var message = "validation loss rose \(Self.percent(rise)) from \(Self.number(bestLoss)) (epoch \(best.epoch)) to \(Self.number(lastLoss)) (epoch \(last.epoch)) while training loss fell from \(Self.number(best.trainLoss)) to \(Self.number(last.trainLoss))."
        var numbers = [
            "best_epoch": Double(best.epoch), "best_validation_loss": bestLoss, "final_validation_loss": lastLoss,
            "final_train_loss": last.trainLoss, "validation_loss_rise": rise,
        ]
        if let trainAccuracy = last.metrics["accuracy"], let validationAccuracy = last.metrics["val_accuracy"] {
            numbers["accuracy_gap"] = trainAccuracy - validationAccuracy
            message += " Accuracy: \(Self.percent(trainAccuracy)) on training data, \(Self.percent(validationAccuracy)) on validation data."
        }
        message += " Stop earlier (early stopping would keep epoch \(best.epoch)), add dropout or L2 weight decay, augment or add data, or use a smaller model."
        return DiagnosticFinding(kind: .overfitting, severity: .warning, message: message, numbers: numbers)
    }

    /// Training loss stays high against the baseline, or its curve is flat without being low.
    func underfitting(_ history: TrainingHistory, baselineLoss: Double?) -> DiagnosticFinding? {
        guard let first = history.epochs.first, let last = history.epochs.last else { return nil }
        let tail = history.epochs.suffix(max(3, history.epochs.count / 3))
        let tailStart = tail.first?.trainLoss ?? first.trainLoss
        let tailDrop = (tailStart - last.trainLoss) / max(abs(tailStart), 1e-12)
        let reference = baselineLoss ?? first.trainLoss
        let fraction = last.trainLoss / max(reference, 1e-12)
        let high = baselineLoss.map { last.trainLoss > underfitFraction * $0 } ?? false
        let flat = history.epochs.count >= 3 && tailDrop < flatFraction && fraction > 0.1
        guard high || flat else { return nil }
        var observations: [String] = []
        if high, let baselineLoss {
            observations.append("training loss \(Self.number(last.trainLoss)) is still \(Self.percent(fraction)) of the \(Self.number(baselineLoss)) a constant prediction scores")
        }
        if flat {
            observations.append("it fell only \(Self.percent(max(tailDrop, 0))) over the last \(tail.count) epochs")
        }
        if let validationLoss = last.validationLoss {
            observations.append("validation loss is \(Self.number(validationLoss))")
        }
        let message = observations.joined(separator: "; ") + ". The model is not fitting the training data: "
            + "train longer or with a higher learning rate, use a larger model (more units or layers), or weaken regularization (dropout, weight decay); if the targets are noisy, this may be as good as it gets."
        var numbers = ["final_train_loss": last.trainLoss, "loss_fraction_of_baseline": fraction, "tail_relative_drop": tailDrop]
        numbers["baseline_loss"] = baselineLoss
        numbers["final_validation_loss"] = last.validationLoss
        return DiagnosticFinding(kind: .underfitting, severity: .warning, message: message, numbers: numbers)
    }

    // MARK: - Stability

    /// Spikes in the step losses, or epochs whose training loss went up. A spike must exceed
    /// `spikeFactor` times the median of the steps before it and undo at least `spikeUndo` of
    /// the progress since the first steps; an epoch rise must exceed 10% and `spikeUndo` of
    /// the progress so far, so the ordinary noise of small losses late in training is no alarm.
    func instability(_ history: TrainingHistory, stepLosses: [Float]) -> DiagnosticFinding? {
        var spikes = 0
        var largest = 1.0
        if stepLosses.count > spikeWindow {
            let start = Self.median(stepLosses.prefix(spikeWindow).map(Double.init))
            for index in spikeWindow..<stepLosses.count {
                let median = Self.median(stepLosses[(index - spikeWindow)..<index].map(Double.init))
                let loss = Double(stepLosses[index])
                let ratio = loss / max(median, 1e-12)
                if ratio > spikeFactor, loss - median > spikeUndo * max(start - median, 0) {
                    spikes += 1
                    largest = max(largest, ratio)
                }
            }
        }
        let losses = history.epochs.map(\.trainLoss)
        var rises = 0
        var lowest = losses.first ?? 0
        for (previous, loss) in zip(losses, losses.dropFirst()) {
            if loss > previous * 1.1, loss - previous > spikeUndo * ((losses.first ?? 0) - lowest) { rises += 1 }
            lowest = min(lowest, loss)
        }
        let measured = max(stepLosses.count - spikeWindow, 0)
        let spikeShare = measured > 0 ? Double(spikes) / Double(measured) : 0
        guard spikeShare > 0.02 || rises >= 2 else { return nil }
        var parts: [String] = []
        if spikeShare > 0.02 {
            parts.append("\(spikes) of \(measured) steps had a loss over \(Self.number(spikeFactor))× the median of the \(spikeWindow) steps before, undoing at least \(Self.percent(spikeUndo)) of the progress so far (the largest \(Self.number(largest))×)")
        }
        if rises >= 2 { parts.append("the epoch training loss rose markedly \(rises) times") }
        let message = parts.joined(separator: "; ")
            + ". Lower the learning rate (or add warm-up), clip gradients by norm, use larger batches, or normalize the inputs (batch norm, standardized features)."
        return DiagnosticFinding(
            kind: .unstableTraining, severity: .warning, message: message,
            numbers: ["spikes": Double(spikes), "steps_measured": Double(measured), "largest_spike_ratio": largest, "epoch_loss_rises": Double(rises)])
    }

    // MARK: - Gradients

    /// Per-layer median gradient norms: exploding (huge or not finite), vanishing (a layer far
    /// below the largest), or a summary of healthy norms.
    func gradients(_ log: GradientNormLog) -> [DiagnosticFinding] {
        let perLayer = log.layerNorms()
        guard !perLayer.isEmpty else { return [] }
        let layers = perLayer.keys.sorted()
        let medians = layers.map { Self.median(perLayer[$0] ?? []) }
        let maxima = layers.map { perLayer[$0]?.max() ?? 0 }
        let numbers = Dictionary(uniqueKeysWithValues: zip(layers.map { "layer_\($0)_median_norm" }, medians))
        let table = zip(layers, medians).map { "layer \($0) \(Self.number($1))" }.joined(separator: ", ")
        var findings: [DiagnosticFinding] = []
        let nonFinite = layers.indices.filter { !(maxima[$0].isFinite) }
        let huge = layers.indices.filter { maxima[$0].isFinite && maxima[$0] > explodingNorm }
        if !nonFinite.isEmpty || !huge.isEmpty {
            let named = (nonFinite + huge).map { "layer \(layers[$0]) (largest \(Self.number(maxima[$0])))" }.joined(separator: ", ")
            findings.append(DiagnosticFinding(
                kind: .explodingGradients, severity: .warning,
                message: "gradient norms reached \(named) over \(log.samples.count) samples (median per layer: \(table)). Clip gradients by global norm, lower the learning rate, or add batch normalization.",
                numbers: numbers))
        }
        let largest = medians.filter(\.isFinite).max() ?? 0
        let starved = layers.indices.filter { medians[$0] < vanishingRatio * largest || medians[$0] < 1e-8 }
        if largest > 0, !starved.isEmpty {
            let named = starved.map { "layer \(layers[$0]) (\(Self.number(medians[$0])))" }.joined(separator: ", ")
            findings.append(DiagnosticFinding(
                kind: .vanishingGradients, severity: .warning,
                message: "\(named) get gradients below \(Self.number(vanishingRatio)) of the largest layer's \(Self.number(largest)) (median per layer: \(table)). Use ReLU-family activations with He initialization, batch normalization, or a shallower model.",
                numbers: numbers))
        }
        if findings.isEmpty {
            findings.append(DiagnosticFinding(
                kind: .gradients, severity: .info,
                message: "median gradient norm per layer over \(log.samples.count) samples: \(table); no layer vanishes or explodes.",
                numbers: numbers))
        }
        return findings
    }

    // MARK: - Performance

    /// Throughput and peak device memory.
    func performance(_ history: TrainingHistory) -> DiagnosticFinding? {
        guard !history.epochs.isEmpty else { return nil }
        let throughput = Self.median(history.epochs.map(\.samplesPerSecond))
        let peak = history.epochs.map(\.peakDeviceMemoryBytes).max() ?? 0
        let seconds = history.epochs.reduce(0) { $0 + $1.wallTimeSeconds }
        return DiagnosticFinding(
            kind: .performance, severity: .info,
            message: "\(Int(throughput.rounded())) training samples/s (median over \(history.epochs.count) epochs), \(Self.number(seconds)) s in all, peak device memory \(ByteCount.format(peak)).",
            numbers: ["samples_per_second": throughput, "total_seconds": seconds, "peak_device_memory_bytes": Double(peak)])
    }

    // MARK: - Formatting

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted { ($0.isNaN ? .infinity : $0) < ($1.isNaN ? .infinity : $1) }
        return sorted[sorted.count / 2]
    }

    static func number(_ value: Double) -> String { String(format: "%.4g", value) }
    static func percent(_ fraction: Double) -> String { String(format: "%.1f%%", fraction * 100) }
}

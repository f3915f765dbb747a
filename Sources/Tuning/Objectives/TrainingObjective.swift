import Backend
import Foundation
import Training

/// Trains a training description (docs/train-file.md) per trial: the trial's parameters override
/// the description's declared parameters, key paths or common settings (`learning_rate`,
/// `batch_size`, ...), each epoch's value of `metric` is reported as the trial's intermediate
/// value, and a prune decision stops training after that epoch.
///
/// The trial's value is the best value of `metric` over its epochs. A parameter the description
/// does not know, a model that cannot be built, or training that diverges (a non-finite loss or
/// metric) fails the trial with the reason.
public struct TrainingObjective: Objective {
    /// The description file, absolute or relative to the working directory.
    public let descriptionPath: String
    /// The per-epoch value reported and optimized (`val_accuracy`, `validation_loss`, ...).
    public let metric: Monitor
    /// Where trials train.
    public let device: DeviceSelector

    public init(descriptionPath: String, metric: Monitor, device: DeviceSelector) {
        self.descriptionPath = descriptionPath
        self.metric = metric
        self.device = device
    }

    /// Trains on a thread of its own, so the training's seconds of blocking work never hold one
    /// of the few threads that Swift's concurrency shares between tasks (heartbeats, timers).
    public func evaluate(_ trial: Trial) async throws -> Double {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try train(trial) })
            }
        }
    }

    /// Trains the trial's configuration, reporting each epoch; returns the best epoch's value.
    func train(_ trial: Trial) throws -> Double {
        let description = try TrainingDescription.load(
            URL(fileURLWithPath: descriptionPath), overrides: trial.params.mapValues(DescriptionValue.init))
        let run = try TrainingRun(description, device: try device.open())
        let metric = metric
        var best: Double?
        let reporter = EpochReporter(monitor: metric) { epoch, value in
            try trial.report(value, step: epoch)
            if metric.improves(value, on: best) { best = value }
            if try trial.shouldPrune() { throw TrialPruned() }
            return false
        }
        try run.fit(extra: [reporter])
        guard let best else {
            throw TuningError.invalidSettings(component: "training objective", reason: "training ran no epoch")
        }
        return best
    }
}

extension DescriptionValue {
    /// The description value of a trial's parameter.
    init(_ value: ParameterValue) {
        switch value {
        case let .double(number): self = .double(number)
        case let .int(number): self = .int(number)
        case let .string(text): self = .string(text)
        case let .bool(flag): self = .bool(flag)
        }
    }
}

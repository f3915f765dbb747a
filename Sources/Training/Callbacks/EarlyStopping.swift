import Foundation

/// Stops training when a monitored value has not improved for `patience` epochs, and (by
/// default) puts back the weights of the best epoch when training ends.
///
/// The count starts from the trainer's history, so a fit resumed from a checkpoint stops where
/// the uninterrupted fit would have. The best weights of an epoch before the resume come from
/// `bestWeightsFile` (`ModelCheckpoint.bestURL`, written for the same monitor).
public final class EarlyStopping: TrainingCallback {
    /// The value watched (the validation loss by default).
    public let monitor: Monitor
    /// Epochs without improvement tolerated before stopping.
    public let patience: Int
    /// The smallest change that counts as an improvement.
    public let minDelta: Double
    /// Whether the best epoch's weights are restored at the end.
    public let restoreBestWeights: Bool
    /// Where the weights of the best epoch are saved by a checkpoint callback, if anywhere.
    public let bestWeightsFile: URL?
    private var progress: MonitorProgress
    private var bestWeights: ModelSnapshot?

    /// The best value seen and the epoch it was seen in.
    public var best: Double? { progress.best }
    public var bestEpoch: Int? { progress.bestEpoch }

    public init(
        monitor: Monitor = .validationLoss, patience: Int = 5, minDelta: Double = 0, restoreBestWeights: Bool = true,
        bestWeightsFile: URL? = nil
    ) throws {
        guard patience >= 0, minDelta >= 0 else {
            throw TrainingError.invalidArgument(
                op: "EarlyStopping", detail: "patience (\(patience)) and min delta (\(minDelta)) must not be negative")
        }
        self.monitor = monitor
        self.patience = patience
        self.minDelta = minDelta
        self.restoreBestWeights = restoreBestWeights
        self.bestWeightsFile = bestWeightsFile
        progress = MonitorProgress(monitor: monitor, minDelta: minDelta)
    }

    public func fitWillBegin(_ trainer: Trainer, plan: FitPlan) throws {
        progress = MonitorProgress(monitor: monitor, minDelta: minDelta, replaying: trainer.history)
        // The model holds the best weights only when the last epoch so far was the best.
        bestWeights = restoreBestWeights && progress.bestEpoch == trainer.epoch && trainer.epoch > 0
            ? try ModelSnapshot(of: trainer.model) : nil
    }

    public func epochDidEnd(_ trainer: Trainer, record: EpochRecord) throws -> CallbackDecision {
        guard let value = monitor.value(in: record) else {
            throw TrainingError.invalidArgument(
                op: "EarlyStopping", detail: "epoch \(record.epoch) has no '\(monitor)' (validation values need validation data)")
        }
        if progress.observe(value, epoch: record.epoch) {
            if restoreBestWeights { bestWeights = try ModelSnapshot(of: trainer.model) }
            return .proceed
        }
        let epochsWithoutImprovement = progress.epochsWithoutImprovement
        guard epochsWithoutImprovement > patience else { return .proceed }
        let bestText = best.map { String(format: "%.6g", $0) } ?? "none"
        return .stop(reason: "early stopping: \(monitor) has not improved for \(epochsWithoutImprovement) epochs (best \(bestText) in epoch \(bestEpoch ?? 0))")
    }

    public func fitDidEnd(_ trainer: Trainer) throws {
        guard restoreBestWeights, let bestEpoch, bestEpoch != trainer.epoch else { return }
        if let bestWeights {
            try bestWeights.restore(into: trainer.model)
        } else if let bestWeightsFile {
            try ModelWeights.load(from: bestWeightsFile, into: trainer.model)
        }
    }
}

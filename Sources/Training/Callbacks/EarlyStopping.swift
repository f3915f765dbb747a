/// Stops training when a monitored value has not improved for `patience` epochs, and (by
/// default) puts back the weights of the best epoch when training ends.
public final class EarlyStopping: TrainingCallback {
    /// The value watched (the validation loss by default).
    public let monitor: Monitor
    /// Epochs without improvement tolerated before stopping.
    public let patience: Int
    /// The smallest change that counts as an improvement.
    public let minDelta: Double
    /// Whether the best epoch's weights are restored at the end.
    public let restoreBestWeights: Bool
    /// The best value seen and the epoch it was seen in.
    public private(set) var best: Double?
    public private(set) var bestEpoch: Int?
    private var bestWeights: ModelSnapshot?
    private var epochsWithoutImprovement = 0

    public init(monitor: Monitor = .validationLoss, patience: Int = 5, minDelta: Double = 0, restoreBestWeights: Bool = true) throws {
        guard patience >= 0, minDelta >= 0 else {
            throw TrainingError.invalidArgument(
                op: "EarlyStopping", detail: "patience (\(patience)) and min delta (\(minDelta)) must not be negative")
        }
        self.monitor = monitor
        self.patience = patience
        self.minDelta = minDelta
        self.restoreBestWeights = restoreBestWeights
    }

    public func fitWillBegin(_ trainer: Trainer, plan: FitPlan) throws {
        best = nil
        bestEpoch = nil
        bestWeights = nil
        epochsWithoutImprovement = 0
    }

    public func epochDidEnd(_ trainer: Trainer, record: EpochRecord) throws -> CallbackDecision {
        guard let value = monitor.value(in: record) else {
            throw TrainingError.invalidArgument(
                op: "EarlyStopping", detail: "epoch \(record.epoch) has no '\(monitor)' (validation values need validation data)")
        }
        if monitor.improves(value, on: best, minDelta: minDelta) {
            best = value
            bestEpoch = record.epoch
            epochsWithoutImprovement = 0
            if restoreBestWeights { bestWeights = try ModelSnapshot(of: trainer.model) }
            return .proceed
        }
        epochsWithoutImprovement += 1
        guard epochsWithoutImprovement > patience else { return .proceed }
        let bestText = best.map { String(format: "%.6g", $0) } ?? "none"
        return .stop(reason: "early stopping: \(monitor) has not improved for \(epochsWithoutImprovement) epochs (best \(bestText) in epoch \(bestEpoch ?? 0))")
    }

    public func fitDidEnd(_ trainer: Trainer) throws {
        guard restoreBestWeights, let bestWeights, bestEpoch != trainer.epoch else { return }
        try bestWeights.restore(into: trainer.model)
    }
}

/// Where a monitored value stands: its best value, the epoch of the best, and the epochs since.
///
/// Callbacks that watch a value across epochs (early stopping, checkpoints of the best epoch)
/// rebuild it from the trainer's history when a fit begins, so a run resumed from a checkpoint
/// counts patience and keeps its best exactly as the uninterrupted run would.
public struct MonitorProgress: Sendable, Equatable {
    /// The value watched.
    public let monitor: Monitor
    /// The smallest change that counts as an improvement.
    public let minDelta: Double
    public private(set) var best: Double?
    public private(set) var bestEpoch: Int?
    public private(set) var epochsWithoutImprovement = 0

    public init(monitor: Monitor, minDelta: Double = 0) {
        self.monitor = monitor
        self.minDelta = minDelta
    }

    /// The progress after every epoch of `history`, in order (epochs that lack the value are skipped).
    public init(monitor: Monitor, minDelta: Double = 0, replaying history: TrainingHistory) {
        self.init(monitor: monitor, minDelta: minDelta)
        for record in history.epochs {
            if let value = monitor.value(in: record) { observe(value, epoch: record.epoch) }
        }
    }

    /// Records `value` for `epoch`; returns whether it improved on the best so far.
    @discardableResult
    public mutating func observe(_ value: Double, epoch: Int) -> Bool {
        guard monitor.improves(value, on: best, minDelta: minDelta) else {
            epochsWithoutImprovement += 1
            return false
        }
        best = value
        bestEpoch = epoch
        epochsWithoutImprovement = 0
        return true
    }
}

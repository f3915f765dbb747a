/// A per-epoch value that callbacks watch (early stopping, reduce-on-plateau, checkpoints of the
/// best epoch, pruning): `train_loss`, `validation_loss` (or `val_loss`), a training metric
/// (`accuracy`) or a validation metric (`val_accuracy`).
public struct Monitor: Sendable, Equatable, CustomStringConvertible {
    /// The key as given.
    public let key: String
    /// Whether a larger value is better (accuracy) or a smaller one (losses, errors).
    public let greaterIsBetter: Bool

    /// A monitor of `key`; the direction follows from the key (losses and error metrics are
    /// minimized) unless given.
    public init(_ key: String, greaterIsBetter: Bool? = nil) throws {
        let metricName = key.hasPrefix("val_") ? String(key.dropFirst(4)) : key
        let inferred: Bool
        if ["train_loss", "validation_loss", "val_loss", "loss"].contains(key) {
            inferred = false
        } else if let metric = Metric(rawValue: metricName) {
            inferred = metric.greaterIsBetter
        } else {
            throw TrainingError.invalidArgument(
                op: "Monitor",
                detail: "'\(key)' is not a monitored value; use train_loss, validation_loss, a metric (\(Metric.allCases.map(\.rawValue).joined(separator: ", "))) or val_ and a metric")
        }
        self.key = key
        self.greaterIsBetter = greaterIsBetter ?? inferred
    }

    /// The validation loss, minimized.
    public static let validationLoss = Monitor(uncheckedKey: "validation_loss", greaterIsBetter: false)

    private init(uncheckedKey: String, greaterIsBetter: Bool) {
        key = uncheckedKey
        self.greaterIsBetter = greaterIsBetter
    }

    /// The value in `record`, or nil when the epoch did not measure it.
    public func value(in record: EpochRecord) -> Double? {
        switch key {
        case "train_loss", "loss": return record.trainLoss
        case "validation_loss", "val_loss": return record.validationLoss
        default: return record.metrics[key]
        }
    }

    /// Whether `value` improves on `best` by more than `minDelta` (any finite value improves on nil).
    public func improves(_ value: Double, on best: Double?, minDelta: Double = 0) -> Bool {
        guard value.isFinite else { return false }
        guard let best else { return true }
        return greaterIsBetter ? value > best + minDelta : value < best - minDelta
    }

    public var description: String { key }
}

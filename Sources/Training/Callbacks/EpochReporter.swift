/// Hands a monitored value to a closure after each epoch, which may stop training: the hook a
/// tuning trial uses to report intermediate values and be pruned.
///
/// The closure gets the epoch and the value and returns true to stop. It may also throw (e.g.
/// a trial's "pruned" error); the error ends `fit` and reaches its caller unchanged.
public final class EpochReporter: TrainingCallback {
    /// The value reported.
    public let monitor: Monitor
    private let report: (Int, Double) throws -> Bool

    public init(monitor: Monitor, report: @escaping (_ epoch: Int, _ value: Double) throws -> Bool) {
        self.monitor = monitor
        self.report = report
    }

    public func epochDidEnd(_ trainer: Trainer, record: EpochRecord) throws -> CallbackDecision {
        guard let value = monitor.value(in: record) else {
            throw TrainingError.invalidArgument(
                op: "EpochReporter", detail: "epoch \(record.epoch) has no '\(monitor)' (validation values need validation data)")
        }
        return try report(record.epoch, value) ? .stop(reason: "stopped after epoch \(record.epoch) at \(monitor) = \(value)") : .proceed
    }
}

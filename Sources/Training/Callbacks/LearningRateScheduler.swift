import NN

/// Sets the optimizer's learning rate before each epoch from a schedule and a base rate.
public final class LearningRateScheduler: TrainingCallback {
    /// The schedule followed.
    public let schedule: LearningRateSchedule
    /// The rate the schedule scales.
    public let baseRate: Float

    public init(_ schedule: LearningRateSchedule, baseRate: Float) {
        self.schedule = schedule
        self.baseRate = baseRate
    }

    public func epochWillBegin(_ trainer: Trainer, epoch: Int) throws {
        trainer.optimizer.learningRate = schedule.rate(base: baseRate, epoch: epoch - 1)
    }
}

/// Lowers the learning rate when a monitored value stops improving (`ReduceOnPlateau`). Its count
/// starts from the trainer's history, so a resumed fit lowers the rate when the uninterrupted
/// one would (the rate itself comes back with the optimizer's state).
public final class PlateauScheduler: TrainingCallback {
    /// The value watched.
    public let monitor: Monitor
    private let initialRule: ReduceOnPlateau
    private var rule: ReduceOnPlateau

    /// `rule.maximize` is set from the monitor's direction.
    public init(monitor: Monitor = .validationLoss, rule: ReduceOnPlateau = ReduceOnPlateau()) {
        self.monitor = monitor
        var rule = rule
        rule.maximize = monitor.greaterIsBetter
        initialRule = rule
        self.rule = rule
    }

    public func fitWillBegin(_ trainer: Trainer, plan: FitPlan) throws {
        rule = initialRule
        for record in trainer.history.epochs {
            if let value = monitor.value(in: record) { _ = rule.update(metric: Float(value), currentRate: 1) }
        }
    }

    public func epochDidEnd(_ trainer: Trainer, record: EpochRecord) throws -> CallbackDecision {
        guard let value = monitor.value(in: record) else {
            throw TrainingError.invalidArgument(
                op: "PlateauScheduler", detail: "epoch \(record.epoch) has no '\(monitor)' (validation values need validation data)")
        }
        trainer.optimizer.learningRate = rule.update(metric: Float(value), currentRate: trainer.optimizer.learningRate)
        return .proceed
    }
}

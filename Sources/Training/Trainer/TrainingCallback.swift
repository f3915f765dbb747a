/// What a callback asks the trainer to do after an epoch.
public enum CallbackDecision: Sendable, Equatable {
    /// Go on with the next epoch.
    case proceed
    /// Stop after this epoch, for the reason given (shown to the user and kept in `Trainer.stopReason`).
    case stop(reason: String)
}

/// What a fit is about to do, given to callbacks when it begins.
public struct FitPlan: Sendable {
    /// The first epoch this fit runs (1, or the epoch after a restored checkpoint).
    public let firstEpoch: Int
    /// The last epoch it runs unless a callback stops it.
    public let lastEpoch: Int
    /// Steps per epoch.
    public let batchCount: Int
    /// Training samples per epoch.
    public let samplesPerEpoch: Int
    /// Validation samples (0 without validation).
    public let validationSamples: Int
}

/// Where training stands after a batch, for progress displays.
public struct BatchProgress: Sendable {
    /// The epoch (counting from 1) and the last epoch of the fit.
    public let epoch: Int
    public let lastEpoch: Int
    /// The batch just finished (counting from 1) and the batches per epoch.
    public let batch: Int
    public let batchCount: Int
    /// Samples processed this epoch so far and per epoch.
    public let samplesSeen: Int
    public let samplesPerEpoch: Int
    /// The mean loss of the epoch so far.
    public let loss: Double
    /// Running values of cheap metrics (accuracy for classification) this epoch.
    public let metrics: [String: Double]
    /// Seconds since the epoch began.
    public let elapsedSeconds: Double

    /// Training throughput of the epoch so far.
    public var samplesPerSecond: Double { elapsedSeconds > 0 ? Double(samplesSeen) / elapsedSeconds : 0 }
    /// Seconds left in this epoch's training at the current throughput.
    public var secondsRemaining: Double {
        samplesPerSecond > 0 ? Double(samplesPerEpoch - samplesSeen) / samplesPerSecond : 0
    }
}

/// Hooks into `Trainer.fit`. Every method has an empty default; a callback implements those it
/// needs. Callbacks run in the order they are given, so put a checkpoint writer last to save the
/// state the others left.
public protocol TrainingCallback: AnyObject {
    /// Before the first epoch of a fit.
    func fitWillBegin(_ trainer: Trainer, plan: FitPlan) throws
    /// Before each epoch (LR schedules set the rate here).
    func epochWillBegin(_ trainer: Trainer, epoch: Int) throws
    /// After each training step, with nothing read from the device: for callbacks that must act
    /// between steps (stopping a cancelled run). `batch` counts from 1 within `epoch`.
    func stepDidEnd(_ trainer: Trainer, epoch: Int, batch: Int) throws
    /// After a step whose figures the trainer has just read back from the device: every
    /// `FitOptions.progressInterval` seconds within an epoch (never after its last batch, which
    /// `epochDidEnd` reports), for progress displays.
    func batchDidEnd(_ trainer: Trainer, progress: BatchProgress) throws
    /// After each epoch, once its record (validation included) is in `trainer.history`.
    func epochDidEnd(_ trainer: Trainer, record: EpochRecord) throws -> CallbackDecision
    /// After the last epoch, or after a callback stopped training.
    func fitDidEnd(_ trainer: Trainer) throws
}

extension TrainingCallback {
    public func fitWillBegin(_ trainer: Trainer, plan: FitPlan) throws {}
    public func epochWillBegin(_ trainer: Trainer, epoch: Int) throws {}
    public func stepDidEnd(_ trainer: Trainer, epoch: Int, batch: Int) throws {}
    public func batchDidEnd(_ trainer: Trainer, progress: BatchProgress) throws {}
    public func epochDidEnd(_ trainer: Trainer, record: EpochRecord) throws -> CallbackDecision { .proceed }
    public func fitDidEnd(_ trainer: Trainer) throws {}
}

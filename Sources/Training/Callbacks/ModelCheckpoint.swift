import Foundation

/// Writes training checkpoints into a folder: `checkpoint.safetensors` or another `latestName`
/// (the latest state, every `every` epochs and after the last epoch) and, with a monitor, `best.safetensors` (the model
/// weights of the best epoch; the best so far is taken from the trainer's history, so a resumed
/// fit keeps it). Put it after the other callbacks so it saves the state they left.
public final class ModelCheckpoint: TrainingCallback {
    /// The folder written to.
    public let folder: URL
    /// Save every this many epochs.
    public let every: Int
    /// When set, the weights of each epoch that improves on it go to `best.safetensors`.
    public let bestMonitor: Monitor?
    /// The smallest change of `bestMonitor` that counts as a better epoch.
    public let bestMinDelta: Double
    /// The name of the file holding the latest state.
    public let latestName: String
    private var best: MonitorProgress?
    private var savedEpoch: Int?

    /// The file holding the latest state.
    public var latestURL: URL { folder.appendingPathComponent(latestName) }
    /// The file holding the best epoch's weights.
    public var bestURL: URL { folder.appendingPathComponent("best.safetensors") }

    public init(
        folder: URL, every: Int = 1, bestMonitor: Monitor? = nil, bestMinDelta: Double = 0,
        latestName: String = "checkpoint.safetensors"
    ) throws {
        guard every > 0 else {
            throw TrainingError.invalidArgument(op: "ModelCheckpoint", detail: "every must be positive, got \(every)")
        }
        self.folder = folder
        self.every = every
        self.bestMonitor = bestMonitor
        self.bestMinDelta = bestMinDelta
        self.latestName = latestName
    }

    public func fitWillBegin(_ trainer: Trainer, plan: FitPlan) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw DataError.unwritable(file: folder.path, reason: error.localizedDescription)
        }
        best = bestMonitor.map { MonitorProgress(monitor: $0, minDelta: bestMinDelta, replaying: trainer.history) }
        savedEpoch = nil
    }

    public func epochDidEnd(_ trainer: Trainer, record: EpochRecord) throws -> CallbackDecision {
        if record.epoch % every == 0 {
            try trainer.saveCheckpoint(to: latestURL)
            savedEpoch = record.epoch
        }
        if let bestMonitor, let value = bestMonitor.value(in: record), best?.observe(value, epoch: record.epoch) == true {
            try ModelWeights.save(
                trainer.model, to: bestURL, metadata: ["epoch": String(record.epoch), bestMonitor.key: "\(value)"])
        }
        return .proceed
    }

    public func fitDidEnd(_ trainer: Trainer) throws {
        guard savedEpoch != trainer.epoch, trainer.epoch > 0 else { return }
        try trainer.saveCheckpoint(to: latestURL)
    }
}

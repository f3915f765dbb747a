import Foundation

/// Saves the history as `history.csv` and `history.json` in a folder after every epoch, so a
/// run that is cut off still leaves its curve.
public final class HistoryWriter: TrainingCallback {
    /// The folder written to.
    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    public func fitWillBegin(_ trainer: Trainer, plan: FitPlan) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw DataError.unwritable(file: folder.path, reason: error.localizedDescription)
        }
    }

    public func epochDidEnd(_ trainer: Trainer, record: EpochRecord) throws -> CallbackDecision {
        try trainer.history.saveCSV(to: folder.appendingPathComponent("history.csv"))
        try trainer.history.saveJSON(to: folder.appendingPathComponent("history.json"))
        return .proceed
    }
}

import Foundation

extension TrainingRun {
    /// Writes what `predict` needs into `folder`: `model.safetensors` (the model's weights now),
    /// `preprocessing.json` and, for text data, `vocabulary.json`. A tuning trial keeps its
    /// weights this way.
    public func writeModelFolder(to folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw DataError.unwritable(file: folder.path, reason: error.localizedDescription)
        }
        try ModelWeights.save(trainer.model, to: folder.appendingPathComponent("model.safetensors"))
        try Preprocessing(self).write(to: folder)
        try saveVocabulary(in: folder)
    }
}

import Foundation

extension TrainingRun {
    /// The name of the file in a run's folder that holds the vocabulary of text data.
    public static let vocabularyFileName = "vocabulary.json"

    /// Writes the vocabulary of text data into `folder` (made if missing), so that prediction
    /// encodes texts as training did; does nothing for other data.
    func saveVocabulary(in folder: URL) throws {
        guard let vocabulary = data.vocabulary else { return }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw DataError.unwritable(file: folder.path, reason: "\(error)")
        }
        try vocabulary.write(to: folder.appendingPathComponent(Self.vocabularyFileName))
    }
}

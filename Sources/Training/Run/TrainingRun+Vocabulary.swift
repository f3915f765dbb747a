import Foundation
import NN

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

    /// Checks that every embedding of `model` has a row for each id in sequence data `data`
    /// (an id past the table would silently look up zeros).
    static func checkEmbeddings(of model: any LayerContainer, for data: PreparedData) throws {
        guard data.train.featureShape.count == 1, model.namedLayers.contains(where: { $0.layer is Embedding }) else { return }
        let parts = [data.train, data.validation, data.test].compactMap { $0 }
        let largest = parts.compactMap { $0.features.max() }.max() ?? 0
        let needed = max(Int(largest) + 1, data.vocabulary?.count ?? 0)
        for (name, layer) in model.namedLayers {
            guard let embedding = layer as? Embedding, embedding.vocabulary < needed else { continue }
            throw TrainingError.invalidArgument(
                op: name,
                detail: "the embedding has \(embedding.vocabulary) rows, but the data holds ids up to \(needed - 1)"
                    + (data.vocabulary.map { " (its vocabulary has \($0.count) tokens)" } ?? "") + "; set its vocabulary to at least \(needed)")
        }
    }
}

import Foundation

extension Preprocessing {
    /// This preprocessing with `sequence` and `vocabulary` set from the description and the run
    /// folder `folder` when the run was trained on sequence data.
    func withSequence(from folder: URL) throws -> Preprocessing {
        let file = folder.appendingPathComponent(Self.fileName).path
        let parsed = try TrainingDescription.parse(yaml: description, file: file + " (description)", baseFolder: folder)
        guard case let .sequence(source) = parsed.data.source else { return self }
        guard inputShape == [source.shape.length] else {
            throw DataError.malformed(
                file: file, line: nil, column: nil,
                detail: "input_shape \(inputShape) does not match the sequence length \(source.shape.length) of the description")
        }
        var result = self
        result.sequence = source
        if case .text = source.content {
            let url = folder.appendingPathComponent(TrainingRun.vocabularyFileName)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw DataError.unreadable(file: url.path, reason: "a run trained on texts needs the vocabulary it was trained with")
            }
            result.vocabulary = try Vocabulary.load(from: url)
        }
        return result
    }
}

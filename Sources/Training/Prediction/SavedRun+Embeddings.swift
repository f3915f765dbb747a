import Foundation
import NN

extension SavedRun {
    /// Checks that the model's embeddings have a row for every token id of the sequence samples
    /// read from `url` (an id past a table would silently look up zeros).
    func checkEmbeddings(for input: PredictionInput, from url: URL) throws {
        guard let sequence = preprocessing.sequence else { return }
        for (name, layer) in trainer.model.namedLayers {
            guard let embedding = layer as? Embedding,
                let position = input.samples.features.firstIndex(where: { Int($0) >= embedding.vocabulary })
            else { continue }
            throw DataError.malformed(
                file: url.path, line: nil, column: nil,
                detail: "row \(input.identifiers[position / sequence.shape.length]): token id \(Int(input.samples.features[position])) is past the "
                    + "\(embedding.vocabulary) rows of the embedding '\(name)'")
        }
    }
}

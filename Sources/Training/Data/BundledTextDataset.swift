import Foundation

/// The text data sets that ship with SwiftTune (see `Resources/README.md`).
public enum BundledTextDataset: String, CaseIterable, Sendable {
    /// Generated: sentences of filler words holding `alpha` and `omega` once each; the class says
    /// which comes first, so only a model that keeps order in memory can tell.
    case wordOrder = "word_order"
    /// Real: 4,000 WordNet 3.0 definitions of nouns; the class says what kind of thing the
    /// definition describes (animal, plant, food, artifact or person).
    case wordnetGlosses = "wordnet_glosses"

    /// The bundled CSV file (columns `text` and `label`).
    public var fileName: String { "\(rawValue).csv" }

    /// The location of the bundled file.
    public func url() throws -> URL {
        guard let url = BundledDataset.locator.locate(fileName) else {
            throw DataError.resourceMissing(name: fileName, searched: BundledDataset.locator.searchFolders().map(\.path))
        }
        return url
    }
}

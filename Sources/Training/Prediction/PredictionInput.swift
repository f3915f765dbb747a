import Foundation

/// Samples read for `predict` or `evaluate`, prepared as the run's training data was (scaled,
/// in the model's input shape).
public struct PredictionInput: Sendable {
    /// The prepared samples. Their targets are the labels (class indices, or regression values
    /// scaled as in training) when `isLabelled`, zeros otherwise.
    public let samples: Dataset
    /// Whether every sample has a label.
    public let isLabelled: Bool
    /// What identifies a sample in the output (`row` for CSV rows, `file` for images).
    public let identifierColumn: String
    /// One identifier per sample.
    public let identifiers: [String]

    public init(samples: Dataset, isLabelled: Bool, identifierColumn: String, identifiers: [String]) throws {
        guard identifiers.count == samples.count else {
            throw DataError.invalidArgument(op: "PredictionInput", detail: "\(identifiers.count) identifiers for \(samples.count) samples")
        }
        self.samples = samples
        self.isLabelled = isLabelled
        self.identifierColumn = identifierColumn
        self.identifiers = identifiers
    }
}

/// Reads one kind of input (`--input` of `predict`, `--data` of `evaluate`) for a saved run.
///
/// This is the extension point for new kinds of input: a reader conforms, takes the inputs it
/// recognizes in `reads`, and is listed in `PredictionInputs.readers` before the CSV reader
/// (which takes any file).
public protocol PredictionInputReader: Sendable {
    /// Whether this reader takes `url` for a run prepared by `preprocessing`.
    func reads(_ url: URL, preprocessing: Preprocessing) -> Bool
    /// The samples at `url`, prepared by `preprocessing`; with `requireLabels`, a sample without
    /// a label is an error that names it.
    func read(_ url: URL, preprocessing: Preprocessing, requireLabels: Bool) throws -> PredictionInput
}

/// The input readers `predict` and `evaluate` choose from.
public enum PredictionInputs {
    /// Tried in order; the first that reads a URL reads it: image folders of runs trained on
    /// image files, text or id CSV files of runs trained on sequences, else CSV files.
    public static let readers: [any PredictionInputReader] = [ImageFolderPredictionReader(), SequencePredictionReader(), CSVPredictionReader()]

    /// Reads `url` with the first reader that takes it.
    public static func read(_ url: URL, preprocessing: Preprocessing, requireLabels: Bool) throws -> PredictionInput {
        guard let reader = readers.first(where: { $0.reads(url, preprocessing: preprocessing) }) else {
            throw DataError.unreadable(file: url.path, reason: "no input reader takes it (a CSV file, or a folder of images for a run trained on images)")
        }
        return try reader.read(url, preprocessing: preprocessing, requireLabels: requireLabels)
    }
}

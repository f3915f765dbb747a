import Foundation

/// Reads a CSV file of texts or token ids for a run trained on sequence data, encoding each row
/// as training did: the same tokenization and vocabulary (`vocabulary.json`), padding and length.
///
/// The first row is the header. The sequence column is found as in training (by its name, or
/// by its position); so is the label column, which is optional: a file without it (or, with a
/// label taken from the last column, a file whose last column is the sequence) is unlabelled.
public struct SequencePredictionReader: PredictionInputReader {
    public init() {}

    public func reads(_ url: URL, preprocessing: Preprocessing) -> Bool {
        var isFolder: ObjCBool = false
        return preprocessing.sequence != nil
            && !(FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue)
    }

    public func read(_ url: URL, preprocessing: Preprocessing, requireLabels: Bool) throws -> PredictionInput {
        guard let source = preprocessing.sequence else {
            throw DataError.invalidArgument(op: "sequences", detail: "the run was not trained on sequence data")
        }
        let (records, columns) = try SequenceTable.rows(of: url, delimiter: source.delimiter)
        let header = columns.header ?? []
        let sequenceColumn = try columns.resolve(source.column, role: "sequence")
        let targetColumn = Self.labelColumn(source.target, header: header, sequenceColumn: sequenceColumn)
        if requireLabels, targetColumn == nil {
            let expected = if case let .name(name) = source.target { "a column named '\(name)'" } else { "the label in the column it had in training" }
            throw DataError.malformed(file: url.path, line: 1, column: nil, detail: "no label column: expected \(expected)")
        }
        var features: [Float] = []
        features.reserveCapacity(records.count * source.shape.length)
        switch source.content {
        case .text:
            guard let vocabulary = preprocessing.vocabulary else {
                throw DataError.invalidArgument(op: "texts", detail: "the run's vocabulary (\(TrainingRun.vocabularyFileName)) was not loaded")
            }
            for record in records { features += vocabulary.encode(record.fields[sequenceColumn], as: source.shape) }
        case .ids:
            for record in records { features += source.shape.fitted(try SequenceTable.ids(in: record, column: sequenceColumn, columns: columns)) }
        }
        let targets = try targetColumn.map { try PredictionLabels.targets(records, column: $0, columns: columns, preprocessing: preprocessing) }
            ?? [Float](repeating: 0, count: records.count)
        let task: DatasetTask = preprocessing.isClassification ? .classification(classNames: preprocessing.classNames) : .regression
        let samples = try Dataset(features: features, featureShape: [source.shape.length], targets: targets, task: task)
        return try PredictionInput(
            samples: samples, isLabelled: targetColumn != nil, identifierColumn: "row", identifiers: records.indices.map { String($0 + 1) })
    }

    /// The label column as training chose it, or nil when the file has none.
    private static func labelColumn(_ target: CSVOptions.Column, header: [String], sequenceColumn: Int) -> Int? {
        let column: Int? = switch target {
        case let .name(name): header.firstIndex(of: name)
        case let .index(index): index < header.count ? index : nil
        case .last: header.count - 1
        }
        return column == sequenceColumn ? nil : column
    }
}

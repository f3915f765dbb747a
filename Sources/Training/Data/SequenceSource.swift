import Foundation

/// A data set of token sequences in a CSV file: a column of texts (words, encoded with a
/// vocabulary built on the training part only) or of token ids separated by spaces, and a target
/// column. Every sequence is brought to one length (`SequenceShape`); features are the ids as
/// Float, never scaled.
public struct SequenceSource: Sendable, Equatable {
    /// What the sequence column holds.
    public enum Content: Sendable, Equatable {
        /// Texts: words (runs of letters, digits and apostrophes), optionally lowercased, with a
        /// vocabulary of at most `maxVocabulary` tokens (padding and unknown included) of words
        /// seen at least `minFrequency` times in the training part.
        case text(maxVocabulary: Int, minFrequency: Int, lowercase: Bool)
        /// Token ids (non-negative integers) separated by spaces.
        case ids
    }

    /// Where the file is.
    public enum File: Sendable, Equatable {
        /// A path relative to the description's folder, or absolute.
        case path(String)
        /// A text data set that ships with SwiftTune.
        case bundled(BundledTextDataset)
    }

    public var file: File
    public var content: Content
    /// The column of texts or ids.
    public var column: CSVOptions.Column
    /// The target column.
    public var target: CSVOptions.Column
    public var classification: Bool
    public var delimiter: Character
    public var shape: SequenceShape

    public init(
        file: File, content: Content, column: CSVOptions.Column, target: CSVOptions.Column, classification: Bool,
        delimiter: Character = ",", shape: SequenceShape
    ) {
        self.file = file
        self.content = content
        self.column = column
        self.target = target
        self.classification = classification
        self.delimiter = delimiter
        self.shape = shape
    }

    /// The file's location.
    func url(baseFolder: URL) throws -> URL {
        switch file {
        case let .path(text): text.hasPrefix("/") ? URL(fileURLWithPath: text) : baseFolder.appendingPathComponent(text)
        case let .bundled(dataset): try dataset.url()
        }
    }

    /// Reads the file, splits it (seeded, stratified for classification), builds the vocabulary
    /// on the training part and encodes every part. Regression targets are standardized when
    /// `scaleTargets`.
    func prepare(validation: Double, test: Double, scaleTargets: Bool, seed: UInt64, baseFolder: URL) throws -> PreparedData {
        let url = try url(baseFolder: baseFolder)
        let table = try SequenceTable(url: url, source: self)
        // The split sees each sample as its row number, so it can run before the encoding.
        let rows = try Dataset(
            features: (0..<table.sequences.count).map(Float.init), featureShape: [1], targets: table.targets, task: table.task)
        let split = try rows.split(validation: validation, test: test, seed: seed)
        var vocabulary: Vocabulary?
        let encoded: [[Float]]
        switch content {
        case let .text(maxVocabulary, minFrequency, lowercase):
            let built = try Vocabulary.build(
                from: split.trainIndices.map { table.sequences[$0] }, maxSize: maxVocabulary, minFrequency: minFrequency, lowercase: lowercase)
            encoded = table.sequences.map { built.encode($0, as: shape) }
            vocabulary = built
        case .ids:
            encoded = try table.idSequences().map(shape.fitted)
        }
        let targetScaler = !classification && scaleTargets ? try StandardScaler.fit(split.train.targets, featureCount: 1) : nil
        func part(_ indices: [Int], _ samples: Dataset) throws -> Dataset? {
            guard !indices.isEmpty else { return nil }
            return try Dataset(
                features: indices.flatMap { encoded[$0] }, featureShape: [shape.length],
                targets: targetScaler?.transform(samples.targets) ?? samples.targets, task: table.task)
        }
        guard let train = try part(split.trainIndices, split.train) else {
            throw DataError.invalidArgument(op: "data \(url.path)", detail: "no samples are left for training")
        }
        return PreparedData(
            train: train, validation: try part(split.validationIndices, split.validation),
            test: try part(split.testIndices, split.test), targetScaler: targetScaler, vocabulary: vocabulary)
    }
}

/// The sequence column and the targets of a sequence CSV file.
struct SequenceTable {
    let sequences: [String]
    let targets: [Float]
    let task: DatasetTask
    private let records: [CSVRecord]
    private let columns: CSVColumns
    private let sequenceColumn: Int

    init(url: URL, source: SequenceSource) throws {
        let (records, columns) = try Self.rows(of: url, delimiter: source.delimiter)
        let sequenceColumn = try columns.resolve(source.column, role: "sequence")
        let targetColumn = try columns.resolve(source.target, role: "target")
        guard sequenceColumn != targetColumn else {
            throw DataError.invalidArgument(op: "CSV \(url.path)", detail: "the sequence column is also the target column")
        }
        if source.classification {
            let classes = try CSVClassLabels(
                labels: records.map { $0.fields[targetColumn] }, classNames: nil, records: records, columns: columns, targetColumn: targetColumn)
            targets = classes.indices.map(Float.init)
            task = .classification(classNames: classes.names)
        } else {
            targets = try records.map { try columns.number($0, targetColumn) }
            task = .regression
        }
        sequences = records.map { $0.fields[sequenceColumn] }
        self.records = records
        self.columns = columns
        self.sequenceColumn = sequenceColumn
    }

    /// The data rows of a sequence CSV file after its header row, each as wide as the header,
    /// and the header's columns.
    static func rows(of url: URL, delimiter character: Character) throws -> (records: [CSVRecord], columns: CSVColumns) {
        guard let delimiter = character.asciiValue, character != "\"", !character.isNewline else {
            throw DataError.invalidArgument(op: "CSV", detail: "delimiter '\(character)' must be one ASCII character other than a quote or line break")
        }
        var records = try CSVParser.parse(DataFile.read(url), delimiter: delimiter, file: url.path)
        guard !records.isEmpty else { throw DataError.malformed(file: url.path, line: nil, column: nil, detail: "no header row") }
        let header = records.removeFirst()
        guard !records.isEmpty else { throw DataError.malformed(file: url.path, line: nil, column: nil, detail: "no data rows") }
        for record in records where record.fields.count != header.fields.count {
            throw DataError.malformed(
                file: url.path, line: record.line, column: nil, detail: "\(record.fields.count) fields, but the header has \(header.fields.count)")
        }
        return (records, CSVColumns(header: header.fields, width: header.fields.count, source: url.path))
    }

    /// The sequence column read as ids separated by spaces.
    func idSequences() throws -> [[Int]] {
        try records.map { try Self.ids(in: $0, column: sequenceColumn, columns: columns) }
    }

    /// The token ids separated by spaces in `column` of `record`.
    static func ids(in record: CSVRecord, column: Int, columns: CSVColumns) throws -> [Int] {
        try record.fields[column].split(whereSeparator: \.isWhitespace).map { token in
            guard let id = Int(token), id >= 0, id < 1 << 24 else {
                throw DataError.malformed(
                    file: columns.source, line: record.line, column: columns.label(column),
                    detail: "'\(token)' is not a token id (a whole number from 0 to 16777215)")
            }
            return id
        }
    }
}

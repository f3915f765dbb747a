import Foundation

/// Reads CSV rows for a saved run (comma-separated, gzip allowed).
///
/// When the run knows its feature names and the first row holds all of them, columns are taken
/// by name (in any order; other columns, such as an ID, are ignored) and the label is the column
/// named like the training target. Otherwise the columns are positional: the features first,
/// then optionally the label as the last column; a first row that is not all numbers is then a
/// header and skipped.
public struct CSVPredictionReader: PredictionInputReader {
    public init() {}

    public func reads(_ url: URL, preprocessing: Preprocessing) -> Bool {
        var isFolder: ObjCBool = false
        return !(FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue)
    }

    public func read(_ url: URL, preprocessing: Preprocessing, requireLabels: Bool) throws -> PredictionInput {
        var records = try CSVParser.parse(DataFile.read(url), delimiter: UInt8(ascii: ","), file: url.path)
        let layout = try Layout(records: records, preprocessing: preprocessing, file: url.path)
        if layout.hasHeader { records.removeFirst() }
        guard !records.isEmpty else { throw DataError.malformed(file: url.path, line: nil, column: nil, detail: "no data rows") }
        if requireLabels, layout.targetColumn == nil {
            throw DataError.malformed(
                file: url.path, line: 1, column: nil,
                detail: "no label column: expected \(preprocessing.target.map { "a column named '\($0)'" } ?? "one column after the \(layout.featureColumns.count) features")")
        }
        let columns = CSVColumns(header: layout.header, width: layout.width, source: url.path)
        var features: [Float] = []
        features.reserveCapacity(records.count * layout.featureColumns.count)
        for record in records {
            guard record.fields.count == layout.width else {
                throw DataError.malformed(
                    file: url.path, line: record.line, column: nil, detail: "\(record.fields.count) fields, expected \(layout.width)")
            }
            for column in layout.featureColumns { features.append(try columns.number(record, column)) }
        }
        features = try preprocessing.scaler?.transform(features) ?? features
        let targets = try layout.targetColumn.map { try PredictionLabels.targets(records, column: $0, columns: columns, preprocessing: preprocessing) }
            ?? [Float](repeating: 0, count: records.count)
        let task: DatasetTask = preprocessing.isClassification ? .classification(classNames: preprocessing.classNames) : .regression
        let samples = try Dataset(features: features, featureShape: preprocessing.inputShape, targets: targets, task: task)
        return try PredictionInput(
            samples: samples, isLabelled: layout.targetColumn != nil, identifierColumn: "row",
            identifiers: records.indices.map { String($0 + 1) })
    }

    /// Which columns hold the features and the label.
    private struct Layout {
        var hasHeader: Bool
        var header: [String]?
        var width: Int
        var featureColumns: [Int]
        var targetColumn: Int?

        init(records: [CSVRecord], preprocessing: Preprocessing, file: String) throws {
            guard let first = records.first else { throw DataError.malformed(file: file, line: nil, column: nil, detail: "the file is empty") }
            let names = preprocessing.featureNames
            let featureCount = preprocessing.inputShape.reduce(1, *)
            width = first.fields.count
            if !names.isEmpty, Set(names).isSubset(of: first.fields) {
                hasHeader = true
                header = first.fields
                featureColumns = names.compactMap { first.fields.firstIndex(of: $0) }
                targetColumn = preprocessing.target.flatMap { first.fields.firstIndex(of: $0) }
                return
            }
            hasHeader = first.fields.contains { Float($0) == nil }
            header = hasHeader ? first.fields : nil
            guard width == featureCount || width == featureCount + 1 else {
                let missing = names.filter { !first.fields.contains($0) }.prefix(5)
                let hint = hasHeader && !names.isEmpty ? "; the header lacks the feature columns \(missing.joined(separator: ", "))\(missing.count == 5 ? ", ..." : "")" : ""
                throw DataError.malformed(
                    file: file, line: first.line, column: nil,
                    detail: "\(width) columns; the run expects \(featureCount) features (and optionally a label last)\(hint)")
            }
            featureColumns = Array(0..<featureCount)
            targetColumn = width > featureCount ? featureCount : nil
        }
    }
}

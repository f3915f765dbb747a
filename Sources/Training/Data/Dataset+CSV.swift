import Foundation

extension Dataset {
    /// Loads a CSV file (gzip-compressed or not). Errors name the file, line and column.
    public static func loadCSV(_ url: URL, options: CSVOptions, info: DatasetInfo? = nil) throws -> Dataset {
        try parseCSV(DataFile.read(url), source: url.path, options: options, info: info)
    }

    /// Reads CSV `text`; `source` names it in errors.
    public static func parseCSV(text: String, source: String = "<text>", options: CSVOptions) throws -> Dataset {
        try parseCSV(Array(text.utf8), source: source, options: options, info: nil)
    }

    static func parseCSV(_ bytes: [UInt8], source: String, options: CSVOptions, info: DatasetInfo?) throws -> Dataset {
        guard let delimiter = options.delimiter.asciiValue, options.delimiter != "\"", !options.delimiter.isNewline else {
            throw DataError.invalidArgument(op: "CSV", detail: "delimiter '\(options.delimiter)' must be one ASCII character other than a quote or line break")
        }
        var records = try CSVParser.parse(bytes, delimiter: delimiter, file: source)
        let header = options.hasHeader && !records.isEmpty ? records.removeFirst() : nil
        guard let first = records.first else {
            throw DataError.malformed(file: source, line: nil, column: nil, detail: "no data rows")
        }
        let width = header?.fields.count ?? first.fields.count
        let columns = CSVColumns(header: header?.fields, width: width, source: source)
        let targetColumn = try columns.resolve(options.target, role: "target")
        let ignored = Set(try options.ignoredColumns.map { try columns.resolve($0, role: "ignored") })
        if ignored.contains(targetColumn) {
            throw DataError.invalidArgument(op: "CSV \(source)", detail: "the target column is also listed as ignored")
        }
        let featureColumns = (0..<width).filter { $0 != targetColumn && !ignored.contains($0) }
        guard !featureColumns.isEmpty else {
            throw DataError.invalidArgument(op: "CSV \(source)", detail: "no feature columns are left")
        }

        var features = [Float]()
        features.reserveCapacity(records.count * featureColumns.count)
        var labels: [String] = []
        labels.reserveCapacity(records.count)
        for record in records {
            guard record.fields.count == width else {
                throw DataError.malformed(
                    file: source, line: record.line, column: nil,
                    detail: "\(record.fields.count) fields, but the \(header == nil ? "first row" : "header") has \(width)")
            }
            for column in featureColumns {
                features.append(try columns.number(record, column))
            }
            labels.append(record.fields[targetColumn])
        }

        let targets: [Float]
        let task: DatasetTask
        switch options.targetKind {
        case .regression:
            targets = try records.map { try columns.number($0, targetColumn) }
            task = .regression
        case let .classification(classNames):
            let classes = try CSVClassLabels(labels: labels, classNames: classNames, records: records, columns: columns, targetColumn: targetColumn)
            targets = classes.indices.map(Float.init)
            task = .classification(classNames: classes.names)
        }
        let shape = options.featureShape ?? [featureColumns.count]
        guard shape.reduce(1, *) == featureColumns.count else {
            throw DataError.invalidArgument(
                op: "CSV \(source)", detail: "feature shape \(shape) does not hold the \(featureColumns.count) feature columns")
        }
        return try Dataset(
            features: features, featureShape: shape, targets: targets, task: task,
            featureNames: header.map { fields in featureColumns.map { fields.fields[$0] } } ?? [], info: info)
    }
}

/// Column lookup and value parsing with errors that name the place.
struct CSVColumns {
    let header: [String]?
    let width: Int
    let source: String

    /// A column's 1-based number and, with a header, its name.
    func label(_ column: Int) -> String {
        guard let header else { return "\(column + 1)" }
        return "\(column + 1) '\(header[column])'"
    }

    func resolve(_ column: CSVOptions.Column, role: String) throws -> Int {
        switch column {
        case .last:
            return width - 1
        case let .index(index):
            guard (0..<width).contains(index) else {
                throw DataError.invalidArgument(op: "CSV \(source)", detail: "\(role) column index \(index) is outside 0..<\(width)")
            }
            return index
        case let .name(name):
            guard let header else {
                throw DataError.invalidArgument(op: "CSV \(source)", detail: "\(role) column '\(name)' is named, but the file has no header row")
            }
            guard let index = header.firstIndex(of: name) else {
                throw DataError.invalidArgument(
                    op: "CSV \(source)", detail: "no \(role) column '\(name)'; columns: \(header.joined(separator: ", "))")
            }
            return index
        }
    }

    func number(_ record: CSVRecord, _ column: Int) throws -> Float {
        let text = record.fields[column]
        guard !text.isEmpty else {
            throw DataError.malformed(file: source, line: record.line, column: label(column), detail: "missing value")
        }
        guard let value = Float(text), value.isFinite else {
            throw DataError.malformed(file: source, line: record.line, column: label(column), detail: "'\(text)' is not a finite number")
        }
        return value
    }
}

/// Maps the text labels of a target column to class indices and names.
struct CSVClassLabels {
    let names: [String]
    let indices: [Int]

    init(labels: [String], classNames: [String]?, records: [CSVRecord], columns: CSVColumns, targetColumn: Int) throws {
        if let classNames {
            guard !classNames.isEmpty else {
                throw DataError.invalidArgument(op: "CSV \(columns.source)", detail: "the class name list is empty")
            }
            let byName = Dictionary(classNames.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
            names = classNames
            indices = try zip(labels, records).map { label, record in
                if let index = byName[label] { return index }
                if let index = Int(label), classNames.indices.contains(index) { return index }
                throw DataError.malformed(
                    file: columns.source, line: record.line, column: columns.label(targetColumn),
                    detail: "label '\(label)' is not one of \(classNames) nor an index into them")
            }
        } else if let numeric = Self.integerLabels(labels) {
            let classCount = (numeric.max() ?? 0) + 1
            names = (0..<classCount).map(String.init)
            indices = numeric
        } else {
            if let blank = zip(labels, records).first(where: { $0.0.isEmpty }) {
                throw DataError.malformed(
                    file: columns.source, line: blank.1.line, column: columns.label(targetColumn), detail: "missing label")
            }
            names = Array(Set(labels)).sorted()
            let byName = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, $0.offset) })
            indices = labels.map { byName[$0] ?? 0 }
        }
    }

    /// The labels as integers when every one is a non-negative integer.
    private static func integerLabels(_ labels: [String]) -> [Int]? {
        var result: [Int] = []
        result.reserveCapacity(labels.count)
        for label in labels {
            guard let value = Int(label), value >= 0 else { return nil }
            result.append(value)
        }
        return result
    }
}

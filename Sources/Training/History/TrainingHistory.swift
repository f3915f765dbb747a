import Foundation

/// The per-epoch records of a training run, saved as CSV (one row per epoch, one column per
/// metric) or JSON (`{"epochs": [...]}`, snake_case keys; NaN and infinities as the strings
/// "NaN", "Infinity", "-Infinity").
public struct TrainingHistory: Sendable, Equatable, Codable {
    /// The records, in the order they were added.
    public private(set) var epochs: [EpochRecord]

    /// A history holding `epochs`.
    public init(epochs: [EpochRecord] = []) {
        self.epochs = epochs
    }

    /// Adds the record of the next epoch.
    public mutating func append(_ record: EpochRecord) {
        epochs.append(record)
    }

    /// The names of all metrics any epoch reported, sorted.
    public var metricNames: [String] {
        Set(epochs.flatMap(\.metrics.keys)).sorted()
    }

    /// The history as CSV text: a header row, then one row per epoch; an absent value is empty.
    public func csv() -> String {
        let fixed: [EpochRecord.CodingKeys] = [
            .epoch, .trainLoss, .validationLoss, .learningRate, .samplesPerSecond, .peakDeviceMemoryBytes, .wallTimeSeconds,
        ]
        let names = metricNames
        var lines = [(fixed.map(\.rawValue) + names).map(Self.field).joined(separator: ",")]
        for record in epochs {
            let values: [String] = [
                String(record.epoch), Self.number(record.trainLoss), record.validationLoss.map(Self.number) ?? "",
                Self.number(record.learningRate), Self.number(record.samplesPerSecond),
                String(record.peakDeviceMemoryBytes), Self.number(record.wallTimeSeconds),
            ] + names.map { record.metrics[$0].map(Self.number) ?? "" }
            lines.append(values.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The history as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(self)
    }

    /// Writes the CSV to `url` crash-safely.
    public func saveCSV(to url: URL) throws {
        try AtomicFile.write(Data(csv().utf8), to: url)
    }

    /// Writes the JSON to `url` crash-safely.
    public func saveJSON(to url: URL) throws {
        try AtomicFile.write(json(), to: url)
    }

    /// Reads a history saved by `saveJSON`.
    public static func loadJSON(from url: URL) throws -> TrainingHistory {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DataError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            return try decoder.decode(TrainingHistory.self, from: data)
        } catch {
            throw DataError.malformed(file: url.path, line: nil, column: nil, detail: "not a training history: \(error)")
        }
    }

    /// A number in its shortest exact form (`nan`, `inf` and `-inf` for the special values).
    private static func number(_ value: Double) -> String {
        String(describing: value)
    }

    /// A CSV field, quoted when it holds a delimiter, quote or line break.
    private static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

import Foundation

/// Prints benchmark rows as they are measured: an aligned table for people, or one JSON object
/// per line (the fields of `BenchmarkRow`) for scripts.
public struct BenchmarkPrinter {
    /// How rows are written.
    public enum Format: Sendable {
        case table
        case json
    }

    public let format: Format
    private let write: (String) -> Void
    private let columns: [(title: String, width: Int)] = [
        ("benchmark", 10), ("size", 20), ("path", 30), ("device", 10), ("median ms", 11), ("rate", 10), ("unit", 8),
    ]

    /// A printer writing lines with `write` (standard output by default).
    public init(format: Format, write: @escaping (String) -> Void = { Swift.print($0) }) {
        self.format = format
        self.write = write
    }

    /// The table's header line (nothing for JSON); print it once before the rows.
    public func printHeader() {
        guard format == .table else { return }
        write(line(columns.map(\.title)))
    }

    /// One row: a table line, or one JSON object.
    public func print(_ row: BenchmarkRow) {
        switch format {
        case .table:
            let fields = [
                row.benchmark, row.size, row.path, row.device,
                String(format: "%.3f", row.medianMilliseconds), String(format: "%.1f", row.rate), row.unit,
            ]
            write(line(fields) + (row.activity.map { "  " + $0.summary } ?? "") + (row.memory.map { "  " + $0.summary } ?? ""))
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            if let data = try? encoder.encode(row), let text = String(data: data, encoding: .utf8) {
                write(text)
            }
        }
    }

    private func line(_ fields: [String]) -> String {
        zip(columns, fields).map { column, field in
            field.count >= column.width ? field + " " : field.padding(toLength: column.width, withPad: " ", startingAt: 0)
        }.joined().trimmingCharacters(in: .whitespaces)
    }
}

import Foundation

/// How `swifttune selftest` prints results: a table with one row per case (and the failing
/// checks under a failed row), or one JSON object per line.
public enum SelfTestReport {
    static let columns: [(title: String, width: Int)] = [
        ("device", 16), ("family", 12), ("op", 42), ("max error", 10), ("tolerance", 10), ("result", 7), ("ms", 9),
    ]
    /// How much of the shape list a row shows.
    static let shapesWidth = 60

    /// The table's header line.
    public static func header() -> String {
        row(columns.map(\.title) + ["shapes"])
    }

    /// The case's row, then each failing check indented under it.
    public static func lines(_ result: ParityResult) -> [String] {
        let shapes = result.shapes.joined(separator: ", ")
        let shownShapes = shapes.count <= shapesWidth ? shapes : "\(shapes.prefix(shapesWidth - 1))… (\(result.shapes.count) shapes)"
        let fields = [
            result.device, result.family, result.op, format(result.error), format(result.tolerance),
            result.passed ? "pass" : "FAIL", String(format: "%.1f", result.milliseconds), shownShapes,
        ]
        return [row(fields)] + result.failures.map { "    " + $0.replacingOccurrences(of: "\n", with: "\n      ") }
    }

    /// The closing line.
    public static func summary(_ summary: SelfTestSummary) -> String {
        let total = summary.passed + summary.failed.count
        let devices = summary.devices.joined(separator: " and ")
        let time = String(format: "%.1f s", summary.seconds)
        guard !summary.succeeded else { return "selftest passed: \(total) of \(total) cases on \(devices) in \(time)" }
        return "selftest FAILED: \(summary.failed.count) of \(total) cases on \(devices) in \(time): "
            + summary.failed.joined(separator: "; ")
    }

    /// The result as one line of JSON (an error that is not finite as a string: `inf`).
    public static func json(_ result: ParityResult) -> String {
        encode(result)
    }

    /// The summary as one line of JSON, under the key `summary`.
    public static func json(_ summary: SelfTestSummary) -> String {
        encode(["summary": summary])
    }

    static func row(_ fields: [String]) -> String {
        zip(fields, columns.map(\.width) + [0]).map { field, width in
            field.count >= width ? field + " " : field.padding(toLength: width, withPad: " ", startingAt: 0)
        }.joined().trimmingCharacters(in: .whitespaces)
    }

    static func format(_ value: Double) -> String {
        value == 0 ? "0" : value.isFinite ? String(format: "%.1e", value) : "\(value)"
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

import Foundation

/// Per-class precision, recall, F1 and support, with the confusion matrix, of a classifier's
/// outputs on labelled data.
public struct ClassificationReport: Sendable, Equatable {
    /// One name per class (class indices as text when the data has no names).
    public let classNames: [String]
    /// `matrix.counts[actual][predicted]`.
    public let matrix: ConfusionMatrix

    /// The report of `outputs` (class scores, one row per sample) against class-index `targets`.
    public init(outputs: ModelOutputs, targets: [Float], classNames: [String]) throws {
        let classCount = outputs.classCount
        let actual = try outputs.classIndices(of: targets, op: "ClassificationReport")
        matrix = try ConfusionMatrix(actual: actual, predicted: outputs.predictedClasses(), classCount: classCount)
        self.classNames = classNames.count == classCount ? classNames : (0..<classCount).map(String.init)
    }

    /// One row per class.
    public struct Row: Sendable, Equatable {
        public let name: String
        public let precision: Double
        public let recall: Double
        public let f1: Double
        /// Samples whose actual class this is.
        public let support: Int
    }

    /// The rows, class by class.
    public var rows: [Row] {
        classNames.indices.map { c in
            Row(
                name: classNames[c], precision: matrix.precision(ofClass: c), recall: matrix.recall(ofClass: c),
                f1: matrix.f1(ofClass: c), support: matrix.support(c))
        }
    }

    /// The per-class table, its macro means, and the confusion matrix, as text.
    public var text: String {
        let width = max(12, classNames.map(\.count).max() ?? 0)
        func pad(_ text: String) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        func number(_ value: Double) -> String { String(format: "%9.4f", value) }
        var lines = [pad("class") + "  precision     recall         f1   support"]
        for row in rows {
            lines.append(pad(row.name) + "  " + [row.precision, row.recall, row.f1].map(number).joined(separator: "  ")
                + String(format: "  %8d", row.support))
        }
        let macro = [
            (try? matrix.precision(.macro)) ?? .nan, (try? matrix.recall(.macro)) ?? .nan, (try? matrix.f1(.macro)) ?? .nan,
        ]
        lines.append(pad("macro mean") + "  " + macro.map(number).joined(separator: "  ") + String(format: "  %8d", matrix.total))
        return lines.joined(separator: "\n") + "\n\nconfusion matrix:\n" + matrix.rendered(classNames: classNames)
    }

    /// `class,precision,recall,f1,support`, one line per class.
    public var csv: String {
        (["class,precision,recall,f1,support"] + rows.map { row in
            "\(CSVField.quoted(row.name)),\(row.precision),\(row.recall),\(row.f1),\(row.support)"
        }).joined(separator: "\n") + "\n"
    }

    /// The confusion matrix as CSV: a header of predicted classes, one line per actual class.
    public var confusionCSV: String {
        let header = "actual \\ predicted," + classNames.map(CSVField.quoted).joined(separator: ",")
        let lines = classNames.indices.map { row in
            CSVField.quoted(classNames[row]) + "," + matrix.counts[row].map(String.init).joined(separator: ",")
        }
        return ([header] + lines).joined(separator: "\n") + "\n"
    }
}

/// Quoting of one CSV field.
enum CSVField {
    /// The field as is, or in double quotes (inner quotes doubled) when it holds a comma, a quote
    /// or a line break.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

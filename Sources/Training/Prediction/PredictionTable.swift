/// The rows `swifttune predict` writes: one per sample, as CSV.
public struct PredictionTable: Sendable {
    /// What to write for a classifier.
    public enum Columns: Sendable, Equatable {
        /// The predicted class and its probability.
        case predicted
        /// The predicted class and the probability of every class.
        case probabilities
        /// The `k` most probable classes with their probabilities, best first.
        case topK(Int)
    }

    /// The CSV text: a header, then one row per sample. Classifiers write class names;
    /// regression writes the prediction in the target's units.
    public static func csv(
        _ outputs: ModelOutputs, input: PredictionInput, preprocessing: Preprocessing, columns: Columns
    ) throws -> String {
        let identifiers = input.identifiers.map(CSVField.quoted)
        guard preprocessing.isClassification else {
            var values = outputs.width == 1 ? outputs.values : stride(from: 0, to: outputs.values.count, by: outputs.width).map { outputs.values[$0] }
            values = try preprocessing.targetScaler?.inverseTransform(values) ?? values
            return lines(header: [input.identifierColumn, "prediction"], rows: zip(identifiers, values).map { [$0, "\($1)"] })
        }
        let names = preprocessing.classNames.count == outputs.classCount
            ? preprocessing.classNames : (0..<outputs.classCount).map(String.init)
        let quotedNames = names.map(CSVField.quoted)
        let probabilities = outputs.classProbabilities()
        let classCount = outputs.classCount
        func row(_ sample: Int) -> ArraySlice<Double> { probabilities[(sample * classCount)..<((sample + 1) * classCount)] }
        let predicted = outputs.predictedClasses()
        switch columns {
        case .predicted:
            return lines(
                header: [input.identifierColumn, "predicted", "probability"],
                rows: predicted.enumerated().map { sample, c in [identifiers[sample], quotedNames[c], format(probabilities[sample * classCount + c])] })
        case .probabilities:
            return lines(
                header: [input.identifierColumn, "predicted"] + names.map { CSVField.quoted("p_" + $0) },
                rows: predicted.enumerated().map { sample, c in [identifiers[sample], quotedNames[c]] + row(sample).map(format) })
        case let .topK(k):
            let count = min(max(k, 1), classCount)
            let header = (1...count).flatMap { ["top\($0)", "p\($0)"] }
            return lines(
                header: [input.identifierColumn] + header,
                rows: identifiers.indices.map { sample in
                    let ranked = row(sample).enumerated().sorted { $0.element != $1.element ? $0.element > $1.element : $0.offset < $1.offset }
                    return [identifiers[sample]] + ranked.prefix(count).flatMap { [quotedNames[$0.offset], format($0.element)] }
                })
        }
    }

    private static func format(_ probability: Double) -> String { String(format: "%.6f", probability) }

    private static func lines(header: [String], rows: [[String]]) -> String {
        ([header.joined(separator: ",")] + rows.map { $0.joined(separator: ",") }).joined(separator: "\n") + "\n"
    }
}

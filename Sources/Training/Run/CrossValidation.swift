import Foundation

/// What one fold of k-fold cross-validation measured: the last epoch's training loss and
/// metrics (`train_loss`, `accuracy`), the model as training left it evaluated on the fold's
/// validation part (`validation_loss`, `val_accuracy`) and, when there is one, on the test part
/// (`test_loss`, `test_accuracy`).
public struct FoldFigures: Sendable, Equatable, Codable {
    /// The fold, counting from 0.
    public let fold: Int
    /// Every figure by name.
    public let values: [String: Double]

    public init(fold: Int, values: [String: Double]) {
        self.fold = fold
        self.values = values
    }

    /// The figures of `run`, trained on fold `fold`; `test` is its test evaluation, if any.
    public init(fold: Int, run: TrainingRun, test: Evaluation?) throws {
        var values: [String: Double] = [:]
        if let last = run.trainer.history.epochs.last {
            values["train_loss"] = last.trainLoss
            for (name, value) in last.metrics where !name.hasPrefix("val_") { values[name] = value }
        }
        if let validation = run.data.validation {
            let evaluation = try run.trainer.evaluate(validation)
            values["validation_loss"] = evaluation.loss
            for (name, value) in evaluation.metrics { values["val_" + name] = value }
        }
        if let test {
            values["test_loss"] = test.loss
            for (name, value) in test.metrics { values["test_" + name] = value }
        }
        self.init(fold: fold, values: values)
    }
}

/// The folds of a cross-validation and, per figure, the mean and the standard deviation over
/// the folds (with n − 1 in the denominator).
public struct CrossValidationResult: Sendable, Equatable {
    public let folds: [FoldFigures]

    public init(folds: [FoldFigures]) {
        self.folds = folds
    }

    /// The figures' names, sorted.
    public var names: [String] { Array(Set(folds.flatMap(\.values.keys))).sorted() }

    /// The mean of `name` over the folds that have it.
    public func mean(_ name: String) -> Double {
        let values = folds.compactMap { $0.values[name] }
        return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    /// The sample standard deviation of `name` over the folds (0 for a single fold).
    public func standardDeviation(_ name: String) -> Double {
        let values = folds.compactMap { $0.values[name] }
        guard values.count > 1 else { return values.isEmpty ? .nan : 0 }
        let mean = mean(name)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
    }

    /// One line per figure: each fold's value, then mean ± standard deviation.
    public var text: String {
        let width = max(names.map(\.count).max() ?? 0, 6)
        func padded(_ text: String) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        let header = padded("") + "  " + folds.map { "fold \($0.fold + 1)".padding(toLength: 8, withPad: " ", startingAt: 0) }.joined(separator: " ")
            + "  mean ± std"
        let rows = names.map { name in
            padded(name) + "  " + folds.map { Self.format($0.values[name]).padding(toLength: 8, withPad: " ", startingAt: 0) }.joined(separator: " ")
                + "  \(Self.format(mean(name))) ± \(Self.format(standardDeviation(name)))"
        }
        return ([header] + rows).joined(separator: "\n")
    }

    /// `folds.csv`: a row per fold, then the rows `mean` and `std`; a column per figure.
    public var csv: String {
        let names = names
        var lines = [(["fold"] + names).joined(separator: ",")]
        for fold in folds { lines.append(([String(fold.fold + 1)] + names.map { fold.values[$0].map { "\($0)" } ?? "" }).joined(separator: ",")) }
        lines.append((["mean"] + names.map { "\(mean($0))" }).joined(separator: ","))
        lines.append((["std"] + names.map { "\(standardDeviation($0))" }).joined(separator: ","))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `folds.json`: the folds, and the mean and standard deviation of every figure.
    public func json() throws -> Data {
        struct Summary: Encodable {
            let folds: [FoldFigures]
            let mean: [String: Double]
            let std: [String: Double]
        }
        let names = names
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(Summary(
            folds: folds, mean: Dictionary(uniqueKeysWithValues: names.map { ($0, mean($0)) }),
            std: Dictionary(uniqueKeysWithValues: names.map { ($0, standardDeviation($0)) })))
    }

    /// The files `write(to:)` writes.
    public static let files = ["folds.csv", "folds.json"]

    /// Writes `folds.csv` and `folds.json` into `folder`.
    public func write(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try AtomicFile.write(Data(csv.utf8), to: folder.appendingPathComponent("folds.csv"))
        try AtomicFile.write(try json(), to: folder.appendingPathComponent("folds.json"))
    }

    private static func format(_ value: Double?) -> String {
        value.map { String(format: "%.4f", $0) } ?? "-"
    }
}

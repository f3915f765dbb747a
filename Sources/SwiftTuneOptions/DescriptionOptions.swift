import ArgumentParser
import Foundation
import Training

/// The `train` options that make or change the training description: overrides (`--set` and the
/// shorthands for common settings) and, without a file, the MLP to train.
public struct DescriptionOptions: ParsableArguments {
    @Option(name: .customLong("set"), parsing: .singleValue, help: ArgumentHelp(
        "Override a parameter or key path, e.g. model[0].dense.units=64 (repeatable).", valueName: "name=value"))
    public var settings: [String] = []

    @Option(name: .long, help: "Override training.epochs.")
    public var epochs: Int?

    @Option(name: .customLong("batch-size"), help: "Override training.batch_size.")
    public var batchSize: Int?

    @Option(name: .customLong("learning-rate"), help: "Override training.optimizer.learning_rate.")
    public var learningRate: Double?

    @Option(name: .long, help: "Override training.optimizer.name (sgd, rmsprop, adam, adamw).")
    public var optimizer: String?

    @Option(name: .long, help: "Override the seed.")
    public var seed: Int?

    @Option(name: .customLong("init-weights"), help: ArgumentHelp(
        "Start from these weights (sets init.weights; init.strict: false in the file or --set init.strict=false initialises what does not fit fresh).",
        valueName: "file"))
    public var initWeights: String?

    @Option(name: .customLong("weights-format"), help: ArgumentHelp(
        "How the init weights name their tensors: swifttune or pytorch (a PyTorch state dict); sets init.format.",
        valueName: "format"))
    public var weightsFormat: String?

    @Option(name: .long, help: "Without a file: the bundled data set (digits, breast_cancer, diabetes).")
    public var dataset: String = "digits"

    @Option(name: .customLong("hidden-units"), help: "Without a file: hidden layer sizes, e.g. 128,64.")
    public var hiddenUnits: String = "128"

    @Option(name: .long, help: "Without a file: dropout after each hidden layer.")
    public var dropout: Double = 0.1

    public init() {}

    public func validate() throws {
        _ = try overrides()
        _ = try bundledDataset()
        _ = try hiddenLayerSizes()
        if let weightsFormat, WeightFileFormat(rawValue: weightsFormat) == nil {
            throw ValidationError("--weights-format: '\(weightsFormat)' is not one of \(WeightFileFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// The overrides the flags give, by name: `--set` items, then the shorthands.
    public func overrides() throws -> [String: DescriptionValue] {
        var values: [String: DescriptionValue] = [:]
        for item in settings {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw ValidationError("--set expects name=value, got '\(item)'")
            }
            values[String(item[..<equals])] = DescriptionValue(parsing: String(item[item.index(after: equals)...]))
        }
        if let epochs { values["epochs"] = .int(epochs) }
        if let batchSize { values["batch_size"] = .int(batchSize) }
        if let learningRate { values["learning_rate"] = .double(learningRate) }
        if let optimizer { values["optimizer"] = .string(optimizer) }
        if let seed { values["seed"] = .int(seed) }
        if let initWeights { values["init.weights"] = .string(URL(fileURLWithPath: initWeights).standardizedFileURL.path) }
        if let weightsFormat { values["init.format"] = .string(weightsFormat) }
        return values
    }

    /// The description in the YAML file at `file`, else the MLP the flags describe; the
    /// overrides applied.
    public func description(file: String?) throws -> TrainingDescription {
        if let file { return try TrainingDescription.load(URL(fileURLWithPath: file), overrides: overrides()) }
        let yaml = try TrainingDescription.mlpYAML(dataset: bundledDataset(), hiddenUnits: hiddenLayerSizes(), dropout: dropout)
        return try TrainingDescription.parse(yaml: yaml, file: "<flags>", overrides: overrides())
    }

    private func bundledDataset() throws -> BundledDataset {
        guard let bundled = BundledDataset(rawValue: dataset) else {
            throw ValidationError("--dataset: '\(dataset)' is not one of \(BundledDataset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return bundled
    }

    private func hiddenLayerSizes() throws -> [Int] {
        let units = hiddenUnits.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !units.isEmpty, units.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--hidden-units: expected positive sizes like 128,64, got '\(hiddenUnits)'")
        }
        return units.compactMap { $0 }
    }
}

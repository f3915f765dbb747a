import Foundation
import NN

/// What a run folder keeps so that `predict` and `evaluate` can rebuild the model and prepare new
/// samples exactly as the training data was prepared: the resolved description, the input shape,
/// the task with its class names, the loss and metrics, and the fitted scalers. Saved as
/// `preprocessing.json` (documented in docs/train-file.md).
public struct Preprocessing: Codable, Sendable, Equatable {
    /// The file's name in a run folder.
    public static let fileName = "preprocessing.json"
    /// The format this version writes and reads.
    public static let currentFormat = 1

    public var format: Int
    /// The training description as YAML (`TrainingDescription.resolvedYAML`).
    public var description: String
    /// One sample's shape as the model reads it, e.g. `[64]` or `[1, 8, 8]`.
    public var inputShape: [Int]
    /// The feature columns by name, in model order (empty when the data had no header).
    public var featureNames: [String]
    /// `classification` or `regression`.
    public var task: String
    /// Class names by class index (empty for regression).
    public var classNames: [String]
    /// The target column's name, when the training data named it.
    public var target: String?
    /// The loss trained (a `Loss` raw value) and the metrics reported.
    public var loss: String
    public var metrics: [String]
    /// The feature scaler fitted on the training part, or nil with `scale: none`.
    public var scaler: ScalerParameters?
    /// Regression with `scale_targets`: the target scaler; predictions are mapped back through it.
    public var targetScaler: ScalerParameters?
    /// Image files: how samples are made of them (`ImagePreprocessing`), or nil for feature rows.
    public var image: ImagePreprocessing?
    /// Sequence data: how a text or id column becomes samples (read from `description`, not
    /// coded), and for texts the run's vocabulary (`vocabulary.json`); nil for other data.
    public var sequence: SequenceSource? = nil
    public var vocabulary: Vocabulary? = nil

    enum CodingKeys: String, CodingKey {
        case format, description, task, target, loss, metrics, scaler, image
        case inputShape = "input_shape"
        case featureNames = "feature_names"
        case classNames = "class_names"
        case targetScaler = "target_scaler"
    }

    /// Whether the targets are classes.
    public var isClassification: Bool { task == "classification" }

    /// What `run` prepared its data with.
    public init(_ run: TrainingRun) {
        let train = run.data.train
        format = Self.currentFormat
        description = run.description.resolvedYAML
        inputShape = train.featureShape
        featureNames = train.featureNames
        task = train.isClassification ? "classification" : "regression"
        classNames = train.classNames
        target = run.description.data.targetColumnName
        loss = run.trainer.loss.rawValue
        metrics = run.trainer.metrics.map(\.rawValue)
        scaler = run.data.featureScaler.map(ScalerParameters.init)
        targetScaler = run.data.targetScaler.map(ScalerParameters.init)
        image = run.data.imagePreprocessing
        if case let .sequence(source) = run.description.data.source { sequence = source }
        vocabulary = run.data.vocabulary
    }

    /// Writes `preprocessing.json` into `folder`.
    public func write(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: folder.appendingPathComponent(Self.fileName))
    }

    /// Reads and checks `preprocessing.json` in the run folder `folder`.
    public static func read(from folder: URL) throws -> Preprocessing {
        let url = folder.appendingPathComponent(fileName)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DataError.unreadable(
                file: url.path, reason: "\(error.localizedDescription) (is \(folder.path) a run folder written by `swifttune train`?)")
        }
        let decoder = JSONDecoder()
        let value: Preprocessing
        do {
            value = try decoder.decode(Preprocessing.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw DataError.malformed(file: url.path, line: nil, column: nil, detail: "missing key '\(key.stringValue)'")
        } catch {
            throw DataError.malformed(file: url.path, line: nil, column: nil, detail: "not a preprocessing file: \(error)")
        }
        return try value.validated(file: url.path).withSequence(from: folder)
    }

    private func validated(file: String) throws -> Preprocessing {
        func fail(_ detail: String) -> DataError { DataError.malformed(file: file, line: nil, column: nil, detail: detail) }
        guard format == Self.currentFormat else { throw fail("format \(format); this SwiftTune reads format \(Self.currentFormat)") }
        guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 > 0 }) else { throw fail("input_shape \(inputShape) must have positive sizes") }
        let width = inputShape.reduce(1, *)
        guard featureNames.isEmpty || featureNames.count == width else {
            throw fail("\(featureNames.count) feature_names for inputs of \(width) values")
        }
        guard task == "classification" || task == "regression" else { throw fail("task '\(task)' is neither classification nor regression") }
        guard !isClassification || !classNames.isEmpty else { throw fail("a classification run needs class_names") }
        guard Loss(rawValue: loss) != nil else { throw fail("unknown loss '\(loss)'") }
        if let bad = metrics.first(where: { Metric(rawValue: $0) == nil }) { throw fail("unknown metric '\(bad)'") }
        var checked = self
        checked.scaler = try scaler?.validated(file: file, key: "scaler")
        checked.targetScaler = try targetScaler?.validated(file: file, key: "target_scaler")
        if let scaler = checked.scaler, scaler.featureCount != width {
            throw fail("the scaler has \(scaler.featureCount) features, the inputs \(width)")
        }
        if let image, try image.settings().featureShape != inputShape {
            throw fail("image settings make samples of shape \(try image.settings().featureShape), the inputs are \(inputShape)")
        }
        return checked
    }
}

extension DataDescription {
    /// The target column's name, when the source names it.
    var targetColumnName: String? {
        switch source {
        case let .bundled(dataset):
            if case let .name(name) = dataset.csvOptions.target { return name }
            return nil
        case let .csv(_, target, _, _):
            if case let .name(name) = target { return name }
            return nil
        case let .sequence(sequence):
            if case let .name(name) = sequence.target { return name }
            return nil
        case .mnist, .images:
            return nil
        }
    }
}

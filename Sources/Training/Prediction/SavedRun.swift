import Backend
import Foundation
import NN

/// A run folder loaded for inference: its preprocessing, and its model rebuilt from the saved
/// description with the saved weights (`model.safetensors`, or another weights file of the
/// folder such as `model-int8.safetensors`, whose dense layers then run the int8 GEMM on the
/// CPU path and the dequantized weights elsewhere).
public final class SavedRun {
    public let folder: URL
    public let preprocessing: Preprocessing
    /// The trainer holding the model (its loss and metrics are the run's).
    public let trainer: Trainer
    /// The weights file loaded.
    public let weightsFile: URL

    /// Loads the run in `folder` onto `device`, with the weights file `weights` (a name in the
    /// folder or a path; `model.safetensors` by default).
    public init(folder: URL, weights: String? = nil, device: any Device) throws {
        self.folder = folder
        preprocessing = try Preprocessing.read(from: folder)
        let description = try TrainingDescription.parse(
            yaml: preprocessing.description, file: folder.appendingPathComponent(Preprocessing.fileName).path + " (description)",
            baseFolder: folder)
        var model = try TrainingRun.buildModel(description, inputShape: preprocessing.inputShape, on: device)
        let name = weights ?? "model.safetensors"
        weightsFile = name.contains("/") ? URL(fileURLWithPath: name) : folder.appendingPathComponent(name)
        let file = try SafeTensors.read(weightsFile)
        if file.int8Arrays.isEmpty {
            try ModelWeights.load(file, named: weightsFile.path, into: model, strict: true)
        } else {
            let quantized = try QuantizedModel(file, named: weightsFile.path)
            try quantized.load(into: model, named: weightsFile.path)
            model = try quantized.int8Model(model)
        }
        trainer = Trainer(
            model: model, loss: Loss(rawValue: preprocessing.loss) ?? .crossEntropy, optimizer: try description.training.optimizer.make(),
            metrics: preprocessing.metrics.compactMap(Metric.init(rawValue:)), device: device)
    }

    /// Reads `url` with the reader that takes it, prepared as the training data was.
    public func read(_ url: URL, requireLabels: Bool) throws -> PredictionInput {
        let input = try PredictionInputs.read(url, preprocessing: preprocessing, requireLabels: requireLabels)
        try checkEmbeddings(for: input, from: url)
        return input
    }

    /// The model's outputs for the samples.
    public func predict(_ input: PredictionInput) throws -> ModelOutputs {
        try trainer.predict(input.samples)
    }

    /// The loss and metrics on labelled samples, and for a classifier the per-class report.
    public func evaluate(_ input: PredictionInput) throws -> (evaluation: Evaluation, classification: ClassificationReport?) {
        guard input.isLabelled else {
            throw DataError.invalidArgument(op: "evaluate", detail: "the samples have no labels")
        }
        let evaluation = try trainer.evaluate(input.samples)
        guard preprocessing.isClassification, trainer.loss != .meanSquaredError else { return (evaluation, nil) }
        let report = try ClassificationReport(
            outputs: evaluation.outputs, targets: input.samples.targets, classNames: preprocessing.classNames)
        return (evaluation, report)
    }
}

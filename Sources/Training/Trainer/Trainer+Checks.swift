import NN

extension Trainer {
    /// The training and validation parts of `data` as `validation` asks.
    static func separate(_ data: Dataset, validation: ValidationData, seed: UInt64) throws -> (Dataset, Dataset?) {
        switch validation {
        case .none:
            return (data, nil)
        case let .dataset(set):
            return (data, set)
        case let .split(fraction):
            guard fraction > 0, fraction < 1 else {
                throw TrainingError.invalidArgument(op: "fit", detail: "the validation fraction must lie in (0, 1), got \(fraction)")
            }
            let split = try data.split(validation: fraction, test: 0, seed: seed)
            return (split.train, split.validation)
        }
    }

    /// Checks that the loss, the metrics and the model's output shape fit `dataset`.
    func checkCompatible(_ dataset: Dataset) throws {
        let outputShape: [Int]
        do {
            outputShape = try model.outputShape(for: dataset.featureShape)
        } catch {
            throw TrainingError.invalidArgument(
                op: "Trainer", detail: "the model does not accept samples of shape \(dataset.featureShape): \(error)")
        }
        let width = outputShape.reduce(1, *)
        switch loss {
        case .crossEntropy:
            guard dataset.isClassification, outputShape == [dataset.classCount] else {
                throw TrainingError.invalidArgument(
                    op: "Trainer",
                    detail: "cross-entropy needs a classification data set and one output per class; the data has \(dataset.classCount) classes, the model puts out \(outputShape)")
            }
        case .binaryCrossEntropy:
            guard dataset.classCount == 2, width == 1 else {
                throw TrainingError.invalidArgument(
                    op: "Trainer",
                    detail: "binary cross-entropy needs two classes and one output per sample; the data has \(dataset.classCount) classes, the model puts out \(outputShape)")
            }
        case .meanSquaredError:
            guard !dataset.isClassification, width == 1 else {
                throw TrainingError.invalidArgument(
                    op: "Trainer",
                    detail: "mean squared error needs a regression data set and one output per sample; the model puts out \(outputShape)")
            }
        }
        if let metric = metrics.first(where: { $0.isClassification != dataset.isClassification }) {
            throw TrainingError.invalidArgument(
                op: "Trainer",
                detail: "metric \(metric.rawValue) is for \(metric.isClassification ? "classification" : "regression"), the data set is not")
        }
    }

    /// Each metric of `outputs` against `targets`; NaN where a metric is undefined for them.
    func computeMetrics(_ outputs: ModelOutputs, targets: [Float]) -> [String: Double] {
        var result: [String: Double] = [:]
        for metric in metrics {
            result[metric.rawValue] = (try? metric.compute(outputs, targets: targets)) ?? .nan
        }
        return result
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}

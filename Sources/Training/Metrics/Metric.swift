/// The metrics a training run can report, by name. Classification metrics read the outputs as
/// class scores and the targets as class indices; regression metrics compare values.
public enum Metric: String, CaseIterable, Sendable, Codable {
    /// The fraction of samples whose predicted class is right.
    case accuracy
    /// Precision, unweighted mean over classes.
    case precisionMacro = "precision_macro"
    /// Recall, unweighted mean over classes.
    case recallMacro = "recall_macro"
    /// F1, unweighted mean of the per-class F1 values.
    case f1Macro = "f1_macro"
    /// F1 from counts summed over classes (equals accuracy for single-label data).
    case f1Micro = "f1_micro"
    /// Binary AUC for two classes; the macro mean of one-vs-rest AUCs for more.
    case rocAUC = "roc_auc"
    /// Area under the precision-recall curve (average precision) of the positive class for two
    /// classes; the macro mean of one-vs-rest values for more.
    case prAUC = "pr_auc"
    /// Precision, recall and F1 of the positive class (class 1) of a two-class task.
    case precision
    case recall
    case f1
    /// The fraction of samples whose class is among the 3 (5) highest scores.
    case top3Accuracy = "top3_accuracy"
    case top5Accuracy = "top5_accuracy"
    /// Mean squared error.
    case meanSquaredError = "mse"
    /// Mean absolute error.
    case meanAbsoluteError = "mae"
    /// Coefficient of determination.
    case r2

    /// Whether the metric needs class scores and class-index targets.
    public var isClassification: Bool {
        switch self {
        case .accuracy, .precisionMacro, .recallMacro, .f1Macro, .f1Micro, .rocAUC, .prAUC, .precision, .recall, .f1,
             .top3Accuracy, .top5Accuracy:
            return true
        case .meanSquaredError, .meanAbsoluteError, .r2: return false
        }
    }

    /// Whether a larger value is a better model (false for the error metrics).
    public var greaterIsBetter: Bool { self != .meanSquaredError && self != .meanAbsoluteError }

    /// The metric of `outputs` against `targets` (one per sample).
    public func compute(_ outputs: ModelOutputs, targets: [Float]) throws -> Double {
        guard targets.count == outputs.count else {
            throw DataError.invalidArgument(op: "Metric \(rawValue)", detail: "\(outputs.count) outputs for \(targets.count) targets")
        }
        guard isClassification else {
            guard outputs.width == 1 else {
                throw DataError.invalidArgument(op: "Metric \(rawValue)", detail: "regression needs one output per sample, got \(outputs.width)")
            }
            switch self {
            case .meanAbsoluteError: return try RegressionMetrics.meanAbsoluteError(actual: targets, predicted: outputs.values)
            case .r2: return try RegressionMetrics.r2(actual: targets, predicted: outputs.values)
            default: return try RegressionMetrics.meanSquaredError(actual: targets, predicted: outputs.values)
            }
        }
        let classCount = outputs.classCount
        let actual = try outputs.classIndices(of: targets, op: "Metric \(rawValue)")
        switch self {
        case .rocAUC, .prAUC:
            let probabilities = outputs.classProbabilities()
            if classCount == 2 {
                let positive = stride(from: 1, to: probabilities.count, by: 2).map { probabilities[$0] }
                return self == .rocAUC
                    ? try ROCAUC.binary(labels: actual, scores: positive)
                    : try AveragePrecision.binary(labels: actual, scores: positive)
            }
            return self == .rocAUC
                ? try ROCAUC.oneVsRest(labels: actual, probabilities: probabilities, classCount: classCount)
                : try AveragePrecision.oneVsRest(labels: actual, probabilities: probabilities, classCount: classCount)
        case .top3Accuracy, .top5Accuracy:
            return outputs.topKAccuracy(actual, k: self == .top3Accuracy ? 3 : 5)
        case .precision, .recall, .f1:
            guard classCount == 2 else {
                throw DataError.invalidArgument(
                    op: "Metric \(rawValue)",
                    detail: "is the positive class's \(rawValue) of a two-class task; this one has \(classCount) classes (use \(rawValue)_macro)")
            }
        default:
            break
        }
        let matrix = try ConfusionMatrix(actual: actual, predicted: outputs.predictedClasses(), classCount: classCount)
        switch self {
        case .precisionMacro: return try matrix.precision(.macro)
        case .recallMacro: return try matrix.recall(.macro)
        case .f1Macro: return try matrix.f1(.macro)
        case .f1Micro: return try matrix.f1(.micro)
        case .precision: return try matrix.precision(.binary(positiveClass: 1))
        case .recall: return try matrix.recall(.binary(positiveClass: 1))
        case .f1: return try matrix.f1(.binary(positiveClass: 1))
        default: return matrix.accuracy
        }
    }

    /// Each metric by its name (`rawValue`).
    public static func compute(_ metrics: [Metric], outputs: ModelOutputs, targets: [Float]) throws -> [String: Double] {
        var result: [String: Double] = [:]
        for metric in metrics { result[metric.rawValue] = try metric.compute(outputs, targets: targets) }
        return result
    }
}

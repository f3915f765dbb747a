import NN

/// A measure of a trained model's size that a training objective can report as a further
/// objective after its metric (`metric: [val_accuracy, parameters]`); smaller is better.
public enum ModelMetric: String, Sendable, CaseIterable {
    /// The number of trainable values.
    case parameters
    /// The bytes of the saved weights: every parameter and buffer (batch-norm statistics) as a
    /// 32-bit float.
    case modelBytes = "model_bytes"

    /// The measure of `model`.
    public func value(of model: any Layer) -> Double {
        switch self {
        case .parameters: return Double(model.parameterCount)
        case .modelBytes: return Double(4 * (model.parameters + model.buffers).reduce(0) { $0 + $1.value.count })
        }
    }
}

extension TrainingObjective {
    /// Records the trial's values when the objective reports model metrics: `value` (the
    /// metric's) and each of `modelMetrics` of `model`.
    func recordModelMetrics(_ trial: Trial, value: Double, model: any Layer) throws {
        guard !modelMetrics.isEmpty else { return }
        try trial.setObjectiveValues([value] + modelMetrics.map { $0.value(of: model) })
    }
}

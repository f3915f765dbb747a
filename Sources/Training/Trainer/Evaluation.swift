/// What `Trainer.evaluate` measured on a data set.
public struct Evaluation: Sendable {
    /// The mean loss per sample.
    public let loss: Double
    /// The trainer's metrics by name (NaN where a metric is undefined for the data, e.g. ROC AUC
    /// with one class present).
    public let metrics: [String: Double]
    /// The model's outputs, one row per sample.
    public let outputs: ModelOutputs
}

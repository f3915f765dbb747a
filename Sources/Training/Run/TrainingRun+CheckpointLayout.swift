import Backend

extension TrainingRun {
    /// What a training checkpoint of `description`'s model holds, as lines: each parameter's and
    /// buffer's name and shape, then the optimizer rule. Descriptions with the same layout can
    /// continue each other's checkpoints (population-based training checks its hyperparameters
    /// with this). Builds the model on the CPU path for samples of `inputShape`.
    public static func checkpointLayout(of description: TrainingDescription, inputShape: [Int]) throws -> [String] {
        let model = try buildModel(description, inputShape: inputShape, on: CPUDevice(threads: 1))
        return model.namedState.map { "\($0.name) \($0.variable.shape)" } + ["optimizer \(description.training.optimizer.rule)"]
    }
}

/// How `Trainer.fit` runs.
public struct FitOptions: Sendable {
    /// The epoch to train up to (counting from 1). A trainer restored from a checkpoint after
    /// epoch 10 and fit with 30 runs epochs 11 to 30.
    public var epochs: Int
    /// Training samples per step.
    public var batchSize: Int
    /// Seeds the shuffling, augmentation and validation split (the model's initial weights and
    /// dropout have their own seeds).
    public var seed: UInt64
    /// Whether each epoch visits the training samples in a new order.
    public var shuffle: Bool
    /// Applied to training images (never to validation data) when set.
    public var augmentation: ImageAugmentation?
    /// Per-parameter gradient norms are sampled every this many steps (0: never); diagnostics
    /// read them to find vanishing or exploding gradients.
    public var gradientSampleInterval: Int
    /// Whether each read of the recorded figures also checks that the weights are finite, so a
    /// NaN or infinite gradient that never reaches the loss (a NaN input that a ReLU turned
    /// into 0) still stops training: the update spreads it into the weights.
    public var checkWeights: Bool
    /// Samples per batch when evaluating (no gradients, so larger than training batches).
    public var evaluationBatchSize: Int
    /// Seconds between reads of the running loss and metrics within an epoch. Training steps
    /// never wait for the device; the trainer reads what they recorded this often (and at the end
    /// of each epoch), checks it for a non-finite loss or gradient, and tells the callbacks
    /// (`batchDidEnd`). 0 reads after every step, which stops at once on a non-finite loss at
    /// the price of one wait for the device per step.
    public var progressInterval: Double

    /// Options; everything but the epochs and the batch size has a default.
    public init(
        epochs: Int, batchSize: Int, seed: UInt64 = 0, shuffle: Bool = true, augmentation: ImageAugmentation? = nil,
        gradientSampleInterval: Int = 10, checkWeights: Bool = true, evaluationBatchSize: Int = 512,
        progressInterval: Double = 0.25
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.seed = seed
        self.shuffle = shuffle
        self.augmentation = augmentation
        self.gradientSampleInterval = gradientSampleInterval
        self.checkWeights = checkWeights
        self.evaluationBatchSize = evaluationBatchSize
        self.progressInterval = progressInterval
    }

    func validate() throws {
        guard epochs > 0 else { throw TrainingError.invalidArgument(op: "fit", detail: "epochs must be positive, got \(epochs)") }
        guard batchSize > 0, evaluationBatchSize > 0 else {
            throw TrainingError.invalidArgument(
                op: "fit", detail: "batch sizes must be positive, got \(batchSize) (training) and \(evaluationBatchSize) (evaluation)")
        }
        guard progressInterval >= 0 else {
            throw TrainingError.invalidArgument(op: "fit", detail: "the progress interval must be a number of seconds ≥ 0, got \(progressInterval)")
        }
        guard gradientSampleInterval >= 0 else {
            throw TrainingError.invalidArgument(op: "fit", detail: "the gradient sample interval must not be negative, got \(gradientSampleInterval)")
        }
    }
}

/// Where `Trainer.fit` finds its validation data.
public enum ValidationData: Sendable {
    /// No validation: the history has training loss and metrics only.
    case none
    /// A separate data set.
    case dataset(Dataset)
    /// This fraction of the training data, split off by the fit's seed (stratified for
    /// classification) before training.
    case split(fraction: Double)
}

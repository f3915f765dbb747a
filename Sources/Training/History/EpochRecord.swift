/// What one epoch of training measured.
public struct EpochRecord: Sendable, Equatable, Codable {
    /// The epoch number (the Trainer counts from 1).
    public var epoch: Int
    /// Mean training loss over the epoch.
    public var trainLoss: Double
    /// Loss on the validation data, when there is any.
    public var validationLoss: Double?
    /// Metric values by name (e.g. `accuracy`, `val_accuracy`).
    public var metrics: [String: Double]
    /// Training samples processed per second of training time.
    public var samplesPerSecond: Double
    /// The most device memory in use at once during the epoch, in bytes.
    public var peakDeviceMemoryBytes: Int
    /// The learning rate used in the epoch (its last value when a schedule changes it per step).
    public var learningRate: Double
    /// How long the epoch took, training and validation, in seconds.
    public var wallTimeSeconds: Double

    /// A record; metrics default to none.
    public init(
        epoch: Int, trainLoss: Double, validationLoss: Double? = nil, metrics: [String: Double] = [:],
        samplesPerSecond: Double, peakDeviceMemoryBytes: Int, learningRate: Double, wallTimeSeconds: Double
    ) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
        self.metrics = metrics
        self.samplesPerSecond = samplesPerSecond
        self.peakDeviceMemoryBytes = peakDeviceMemoryBytes
        self.learningRate = learningRate
        self.wallTimeSeconds = wallTimeSeconds
    }

    enum CodingKeys: String, CodingKey {
        case epoch
        case trainLoss = "train_loss"
        case validationLoss = "validation_loss"
        case metrics
        case samplesPerSecond = "samples_per_second"
        case peakDeviceMemoryBytes = "peak_device_memory_bytes"
        case learningRate = "learning_rate"
        case wallTimeSeconds = "wall_time_seconds"
    }
}

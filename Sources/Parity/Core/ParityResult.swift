/// The outcome of one `ParityCase` on one device (or of one device against another).
public struct ParityResult: Sendable, Codable {
    /// The op family.
    public let family: String
    /// The op and its variant.
    public let op: String
    /// The device's identifier (`cpu`, `opencl:0`), or `opencl:0 vs cpu` for an agreement.
    public let device: String
    /// The distinct input shapes.
    public let shapes: [String]
    /// How `error` was measured.
    public let metric: ParityMetric
    /// The largest error that passes.
    public let tolerance: Double
    /// The largest error over the checks; infinite when an output was NaN or the op threw.
    public let error: Double
    /// The check with the largest error, where it was worst, and the error.
    public let worst: String
    /// One line per check over the tolerance (or that threw); empty when the case passed.
    public let failures: [String]
    /// Time spent on the device: uploading inputs, running the op, reading outputs back.
    public let milliseconds: Double

    /// Whether every check stayed within the tolerance.
    public let passed: Bool

    init(
        family: String, op: String, device: String, shapes: [String], metric: ParityMetric, tolerance: Double,
        error: Double, worst: String, failures: [String], milliseconds: Double
    ) {
        self.family = family
        self.op = op
        self.device = device
        self.shapes = shapes
        self.metric = metric
        self.tolerance = tolerance
        self.error = error
        self.worst = worst
        self.failures = failures
        self.milliseconds = milliseconds
        passed = failures.isEmpty
    }
}

import Foundation

/// One measured row of a benchmark: printed in a table, or as one JSON object with `--json`.
public struct BenchmarkRow: Codable, Sendable {
    public var benchmark: String
    public var size: String
    public var path: String
    public var device: String
    public var medianMilliseconds: Double
    /// The rate the row reports (GFLOP/s or GB/s), with its unit.
    public var rate: Double
    public var unit: String
    /// For training steps: what a step of `Trainer.fit` asks of the device.
    public var activity: StepActivity?
    /// For training steps: the device memory of one warm step.
    public var memory: StepMemory?

    public init(benchmark: String, size: String, path: String, device: String, medianMilliseconds: Double, rate: Double, unit: String) {
        self.benchmark = benchmark
        self.size = size
        self.path = path
        self.device = device
        self.medianMilliseconds = medianMilliseconds
        self.rate = rate
        self.unit = unit
    }
}

import Backend
import NN
import Training

/// What one step of `Trainer.fit` asks of a device in steady state, and what an epoch adds.
///
/// Measured from the device's counters over two fits of one epoch, of 8 and of 16 batches of
/// random data, with the trainer's defaults (accuracy, gradient checks, gradient norms sampled
/// every 10 steps): the difference divided by 8 is the cost of a step, free of what every epoch
/// pays once (reading the recorded figures back at its end).
public struct StepActivity: Codable, Sendable, Equatable {
    /// Kernels enqueued per step; nil on the CPU path, which launches none.
    public var kernelLaunchesPerStep: Double?
    /// Times per step the host waited for the device.
    public var synchronizationsPerStep: Double
    /// Bytes per step moved from host to device and back.
    public var bytesUploadedPerStep: Double
    public var bytesDownloadedPerStep: Double
    /// Waits of a whole epoch of 8 steps (the reads at its end included).
    public var synchronizationsPerEpoch: Int

    static let shortEpoch = 8

    /// Fits `model` for one epoch of 8 and one of 16 batches on `device`.
    static func measure(_ model: TrainingStepBenchmark.Model, on device: any Device) throws -> StepActivity {
        let short = try fitCounters(model, batches: shortEpoch, on: device)
        let long = try fitCounters(model, batches: 2 * shortEpoch, on: device)
        let steps = Double(shortEpoch)
        let perStep = long - short
        return StepActivity(
            kernelLaunchesPerStep: perStep.kernelLaunches.map { Double($0) / steps },
            synchronizationsPerStep: Double(perStep.synchronizations) / steps,
            bytesUploadedPerStep: Double(perStep.bytesUploaded) / steps,
            bytesDownloadedPerStep: Double(perStep.bytesDownloaded) / steps,
            synchronizationsPerEpoch: short.synchronizations)
    }

    /// The device's counters over a one-epoch fit of `batches` batches of random data.
    private static func fitCounters(
        _ model: TrainingStepBenchmark.Model, batches: Int, on device: any Device
    ) throws -> DeviceCounters {
        let samples = batches * model.batchSize
        let sampleShape = Array(model.inputShape.dropFirst())
        let data = try Dataset(
            features: GemmBenchmark.values(samples * Tensor.elementCount(sampleShape), seed: 6), featureShape: sampleShape,
            targets: TrainingStepBenchmark.Model.labels(samples), task: .classification(classNames: (0..<10).map(String.init)))
        let trainer = Trainer(
            model: try model.make(on: device), loss: .crossEntropy, optimizer: try Optimizer(.adam(), learningRate: 1e-3),
            metrics: [.accuracy], device: device)
        let options = FitOptions(epochs: 1, batchSize: model.batchSize, progressInterval: .infinity)
        try device.synchronize()
        let before = device.counters
        try trainer.fit(data, options: options)
        return device.counters - before
    }

    /// `launches 41  syncs 0  up 402 KB  down 0 B per step; 3 syncs per epoch`.
    var summary: String {
        let launches = kernelLaunchesPerStep.map { String(format: "launches %.1f  ", $0) } ?? ""
        return launches + String(format: "syncs %.2f  ", synchronizationsPerStep)
            + "up \(ByteCount.format(Int(bytesUploadedPerStep)))  down \(ByteCount.format(Int(bytesDownloadedPerStep)))"
            + " per step; \(synchronizationsPerEpoch) syncs per epoch of \(Self.shortEpoch)"
    }
}

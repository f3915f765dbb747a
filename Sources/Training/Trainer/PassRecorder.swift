import Backend

/// Keeps what one pass over a data set yields on the device, batch by batch: each batch's loss,
/// optionally each step's global gradient norm, and optionally the model's outputs. Recording is
/// a device-side copy; `readBack()` fetches everything recorded since the last read in two reads,
/// so a training step never waits for the device.
final class PassRecorder {
    /// Where the records live.
    let device: any Device
    /// Loss (even slots) and gradient norm (odd slots) of each batch.
    private let scalars: Tensor
    private let tracksGradientNorms: Bool
    private let keepsOutputs: Bool
    private let sampleCount: Int
    /// `[sampleCount * width]`, made at the first recorded output.
    private var outputs: Tensor?
    /// A `[1]` tensor the gradient norm is computed into before its copy into `scalars`.
    private var norm: Tensor?

    /// Values per sample of the model's output (known after the first batch).
    private(set) var width = 1
    /// Samples in each recorded batch.
    private(set) var batchSizes: [Int] = []
    /// What `readBack()` has fetched so far: per batch, and per sample for the outputs.
    private(set) var losses: [Float] = []
    private(set) var gradientNorms: [Float] = []
    private(set) var outputValues: [Float] = []

    /// A recorder for up to `batchCount` batches holding `sampleCount` samples in all.
    init(batchCount: Int, sampleCount: Int, keepsOutputs: Bool, tracksGradientNorms: Bool, on device: any Device) throws {
        self.device = device
        self.sampleCount = sampleCount
        self.keepsOutputs = keepsOutputs
        self.tracksGradientNorms = tracksGradientNorms
        scalars = try Tensor(uninitializedShape: [max(batchCount, 1) * 2], on: device)
    }

    /// Samples recorded so far.
    var samplesRecorded: Int { batchSizes.reduce(0, +) }
    /// Samples whose outputs `readBack()` has fetched.
    var samplesRead: Int { outputValues.count / width }

    /// Records the loss and the model's output of a batch of `samples` samples.
    func record(loss: Tensor, output: Tensor, samples: Int) throws {
        let batch = batchSizes.count
        guard batch * 2 < scalars.count else {
            throw TrainingError.invalidArgument(op: "PassRecorder", detail: "more batches than the \(scalars.count / 2) planned")
        }
        try scalars.copyElements(1, from: loss, to: batch * 2)
        if keepsOutputs {
            let target = try outputTensor(width: output.count / max(samples, 1))
            let offset = samplesRecorded * width
            guard output.count == samples * width, offset + output.count <= target.count else {
                throw TrainingError.invalidArgument(
                    op: "PassRecorder", detail: "an output of shape \(output.shape) for \(samples) samples of width \(width)")
            }
            try target.copyElements(output.count, from: output, to: offset)
        }
        batchSizes.append(samples)
    }

    /// Records the global norm of `gradients` for the batch about to be recorded.
    func recordGradientNorm(_ gradients: [Tensor]) throws {
        guard tracksGradientNorms, !gradients.isEmpty else { return }
        let norm = try self.norm ?? Tensor(uninitializedShape: [1], on: device)
        self.norm = norm
        try device.globalNorm(gradients, into: norm)
        try scalars.copyElements(1, from: norm, to: batchSizes.count * 2 + 1)
    }

    /// Fetches everything recorded since the last read and returns the batches it covered.
    @discardableResult
    func readBack() throws -> Range<Int> {
        let fresh = losses.count..<batchSizes.count
        guard !fresh.isEmpty else { return fresh }
        let values = try scalars.toArray(fresh.lowerBound * 2..<fresh.upperBound * 2)
        for pair in stride(from: 0, to: values.count, by: 2) {
            losses.append(values[pair])
            gradientNorms.append(tracksGradientNorms ? values[pair + 1] : 0)
        }
        if keepsOutputs, let outputs {
            outputValues += try outputs.toArray(outputValues.count..<samplesRecorded * width)
        }
        return fresh
    }

    /// The mean loss per sample over the batches read so far.
    var meanLoss: Double {
        let seen = batchSizes.prefix(losses.count).reduce(0, +)
        let sum = zip(losses, batchSizes).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        return sum / Double(max(seen, 1))
    }

    private func outputTensor(width: Int) throws -> Tensor {
        if let outputs { return outputs }
        self.width = max(width, 1)
        let made = try Tensor(uninitializedShape: [max(sampleCount * self.width, 1)], on: device)
        outputs = made
        return made
    }
}

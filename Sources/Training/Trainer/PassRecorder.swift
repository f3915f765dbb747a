import Backend

/// Keeps what one pass over a data set yields on the device, batch by batch: each batch's loss
/// and optionally the model's outputs. Recording is a device-side copy; `readBack` fetches
/// everything recorded since the last read (and, on request, whether the weights are finite) in
/// at most two reads, so a training step never waits for the device.
final class PassRecorder {
    /// Where the records live.
    let device: any Device
    /// The loss of each batch, then one slot for the global norm of the weights at a read.
    private let scalars: Tensor
    private let batchLimit: Int
    private let keepsLosses: Bool
    private let keepsOutputs: Bool
    private let sampleCount: Int
    /// `[sampleCount * width]`, made at the first recorded output.
    private var outputs: Tensor?
    /// A `[1]` tensor the weights' norm is computed into before its copy into `scalars`.
    private var norm: Tensor?

    /// Values per sample of the model's output (known after the first batch).
    private(set) var width = 1
    /// Samples in each recorded batch.
    private(set) var batchSizes: [Int] = []
    /// What `readBack()` has fetched so far: per batch, and per sample for the outputs.
    private(set) var losses: [Float] = []
    private(set) var outputValues: [Float] = []
    /// Whether the weights checked at the last read were all finite.
    private(set) var weightsAreFinite = true

    /// A recorder for up to `batchCount` batches holding `sampleCount` samples in all.
    init(batchCount: Int, sampleCount: Int, keepsLosses: Bool = true, keepsOutputs: Bool, on device: any Device) throws {
        self.device = device
        self.sampleCount = sampleCount
        self.keepsLosses = keepsLosses
        self.keepsOutputs = keepsOutputs
        batchLimit = batchCount
        scalars = try Tensor(uninitializedShape: [batchCount + 1], on: device)
    }

    /// Samples recorded so far, and the batches `readBack()` has covered.
    private(set) var samplesRecorded = 0
    private var batchesRead = 0
    /// Samples whose outputs `readBack()` has fetched.
    var samplesRead: Int { outputValues.count / width }

    /// Records the loss (when the recorder keeps losses) and the model's output of a batch of
    /// `samples` samples.
    func record(loss: Tensor?, output: Tensor, samples: Int) throws {
        let batch = batchSizes.count
        guard batch < batchLimit else {
            throw TrainingError.invalidArgument(op: "PassRecorder", detail: "more batches than the \(batchLimit) planned")
        }
        if keepsLosses, let loss { try scalars.copyElements(1, from: loss, to: batch) }
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
        samplesRecorded += samples
    }

    /// Fetches everything recorded since the last read and returns the batches it covered. With
    /// `weights`, also checks that their values are all finite (`weightsAreFinite`).
    @discardableResult
    func readBack(checking weights: [Tensor] = []) throws -> Range<Int> {
        let fresh = batchesRead..<batchSizes.count
        batchesRead = batchSizes.count
        if !weights.isEmpty {
            let norm = try self.norm ?? Tensor(uninitializedShape: [1], on: device)
            self.norm = norm
            try device.globalNorm(weights, into: norm)
            try scalars.copyElements(1, from: norm, to: batchLimit)
        }
        // One read from the first fresh loss (when losses are kept) through the weights' slot
        // (when it is wanted).
        let first = keepsLosses ? fresh.lowerBound : batchLimit
        let end = weights.isEmpty ? (keepsLosses ? fresh.upperBound : batchLimit) : batchLimit + 1
        if first < end {
            let values = try scalars.toArray(first..<end)
            if keepsLosses { losses += values.prefix(fresh.count) }
            if !weights.isEmpty, let norm = values.last { weightsAreFinite = norm.isFinite }
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

import Backend

/// Takes the per-parameter gradient norms of the sampled steps of one epoch on the device and
/// reads them back once, at the epoch's end, as `GradientNormLog` samples.
final class GradientNormSampler {
    private let device: any Device
    private let parameterCount: Int
    /// One row of norms per sampled step.
    private let norms: Tensor
    private let scratch: Tensor
    /// Each sampled step, with the parameters that had no gradient (their norm is 0).
    private var taken: [(epoch: Int, step: Int, missing: [Int])] = []

    /// A sampler for up to `capacity` steps of `parameterCount` parameters.
    init(parameterCount: Int, capacity: Int, on device: any Device) throws {
        self.device = device
        self.parameterCount = parameterCount
        norms = try Tensor(uninitializedShape: [max(capacity * parameterCount, 1)], on: device)
        scratch = try Tensor(uninitializedShape: [1], on: device)
    }

    /// Records the norm of each gradient (nil: no gradient) at `step` of `epoch`.
    func sample(_ gradients: [Tensor?], epoch: Int, step: Int) throws {
        let row = taken.count
        guard gradients.count == parameterCount, (row + 1) * parameterCount <= norms.count else {
            throw TrainingError.invalidArgument(op: "GradientNormSampler", detail: "more samples or parameters than planned")
        }
        var missing: [Int] = []
        for (index, gradient) in gradients.enumerated() {
            guard let gradient else {
                missing.append(index)
                continue
            }
            try device.globalNorm([gradient], into: scratch)
            try norms.copyElements(1, from: scratch, to: row * parameterCount + index)
        }
        taken.append((epoch, step, missing))
    }

    /// The samples taken, read from the device in one read.
    func readBack() throws -> [GradientNormLog.Sample] {
        guard !taken.isEmpty else { return [] }
        let values = try norms.toArray(0..<taken.count * parameterCount)
        return taken.enumerated().map { row, entry in
            var rowNorms = values[row * parameterCount..<(row + 1) * parameterCount].map(Double.init)
            for index in entry.missing { rowNorms[index] = 0 }
            return GradientNormLog.Sample(epoch: entry.epoch, step: entry.step, norms: rowNorms)
        }
    }
}

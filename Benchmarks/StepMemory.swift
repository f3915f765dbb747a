import Backend

/// Device memory of one warm training step, from the device's `BufferPool`.
///
/// Measured on a step that runs after warm-up steps: the pool's cache is emptied and its peaks
/// reset first, so `peakBytesHeld` is what the step needs from the device when it starts with no
/// cached buffers, and `peakBytesInUse` the most bytes its live tensors held at once.
public struct StepMemory: Codable, Sendable, Equatable {
    /// Bytes held by live tensors before the step: the parameters, the optimizer's state, the
    /// batch and the previous step's gradients (freed when the step starts), and whatever else
    /// the caller keeps on the device.
    public var residentBytes: Int
    /// The most bytes held by live tensors during the step (`residentBytes` included).
    public var peakBytesInUse: Int
    /// The most bytes the pool held during the step: live tensors' and cached free buffers'
    /// together. The pool caches freed buffers by exact size, so this exceeds `peakBytesInUse`
    /// by what freed buffers of sizes the step did not ask for again kept.
    public var peakBytesHeld: Int

    /// Runs `step` once on `device` and reports its memory; the caller has warmed it up.
    static func measure(on device: any Device, _ step: () throws -> Void) throws -> StepMemory {
        try device.synchronize()
        device.pool.trim()
        device.pool.resetPeak()
        let resident = device.pool.statistics.bytesInUse
        try step()
        try device.synchronize()
        let statistics = device.pool.statistics
        return StepMemory(
            residentBytes: resident, peakBytesInUse: statistics.peakBytesInUse, peakBytesHeld: statistics.peakBytesHeld)
    }

    /// `peak 3.2 MiB live (1.1 MiB resident), 3.4 MiB held`.
    var summary: String {
        "peak \(ByteCount.format(peakBytesInUse)) live (\(ByteCount.format(residentBytes)) resident), "
            + "\(ByteCount.format(peakBytesHeld)) held"
    }
}

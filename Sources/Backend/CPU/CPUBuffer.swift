import Foundation

/// Host memory for the CPU device, aligned for SIMD loads.
public final class CPUBuffer: DeviceBuffer, @unchecked Sendable {
    public let count: Int
    /// The first element.
    public let pointer: UnsafeMutablePointer<Float>

    /// Allocates `count` elements; throws `BackendError.outOfMemory` when the system refuses
    /// (a cgroup or `ulimit -v` limit, or no memory left) rather than stopping the process.
    init(count: Int) throws {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
        var raw: UnsafeMutableRawPointer?
        guard !overflow, posix_memalign(&raw, 64, Swift.max(bytes, 1)) == 0, let raw else {
            throw BackendError.outOfMemory(
                device: "cpu", requestedBytes: overflow ? .max : bytes, availableBytes: HostMemory.availableBytes())
        }
        self.count = count
        pointer = raw.bindMemory(to: Float.self, capacity: count)
    }

    deinit { free(pointer) }
}

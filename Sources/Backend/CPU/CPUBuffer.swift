import Foundation

/// Host memory for the CPU device, aligned for SIMD loads. A buffer of `hugePageBytes` or more
/// (an image batch's activations) starts on a huge-page boundary and asks Linux for transparent
/// huge pages: the convolution and batch-norm sweeps read such tensors plane by plane and channel
/// by channel, and 2 MiB pages spare them most of their TLB misses.
public final class CPUBuffer: DeviceBuffer, @unchecked Sendable {
    public let count: Int
    /// The first element.
    public let pointer: UnsafeMutablePointer<Float>
    /// The size of a huge page on x86-64 and the smallest buffer placed on them.
    static let hugePageBytes = 2 << 20

    /// Allocates `count` elements; throws `BackendError.outOfMemory` when the system refuses
    /// (a cgroup or `ulimit -v` limit, or no memory left) rather than stopping the process.
    init(count: Int) throws {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
        var raw: UnsafeMutableRawPointer?
        let huge = !overflow && bytes >= Self.hugePageBytes
        guard !overflow, posix_memalign(&raw, huge ? Self.hugePageBytes : 64, Swift.max(bytes, 1)) == 0, let raw else {
            throw BackendError.outOfMemory(
                device: "cpu", requestedBytes: overflow ? .max : bytes, availableBytes: HostMemory.availableBytes())
        }
        #if os(Linux)
        // Only advice: where the kernel has no huge page to give, the buffer keeps small ones.
        if huge { _ = madvise(raw, bytes / Self.hugePageBytes * Self.hugePageBytes, MADV_HUGEPAGE) }
        #endif
        self.count = count
        pointer = raw.bindMemory(to: Float.self, capacity: count)
    }

    deinit { free(pointer) }
}

/// Host memory for the CPU device, aligned for SIMD loads.
public final class CPUBuffer: DeviceBuffer, @unchecked Sendable {
    public let count: Int
    /// The first element.
    public let pointer: UnsafeMutablePointer<Float>

    init(count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: count)
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}

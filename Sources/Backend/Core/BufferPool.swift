import Foundation

/// Recycles device buffers by element count, so a warm training step allocates nothing new.
///
/// Tensors give their buffer back when they are freed; the next request of the same size takes it.
/// The pool also enforces the device's memory capacity: a request that does not fit even after
/// the cached buffers are freed throws `BackendError.outOfMemory`.
public final class BufferPool: @unchecked Sendable {
    /// Counters that tests and benchmarks read.
    public struct Statistics: Sendable, Equatable {
        /// Buffers created on the device since the pool was made.
        public var allocations = 0
        /// Requests served from the cache.
        public var reuses = 0
        /// Bytes held by live tensors.
        public var bytesInUse = 0
        /// The most bytes ever held by live tensors at once.
        public var peakBytesInUse = 0
        /// Bytes held by cached, unused buffers.
        public var bytesCached = 0
        /// The most bytes ever held on the device at once: live tensors' and cached buffers'
        /// together (what the pool has taken from the device).
        public var peakBytesHeld = 0
    }

    private let deviceName: String
    /// Total memory the device can hold.
    public let capacityBytes: Int
    /// The largest single buffer the device allows.
    public let maxBufferBytes: Int
    private let allocateBuffer: @Sendable (Int) throws -> any DeviceBuffer
    private var free: [Int: [any DeviceBuffer]] = [:]
    private var stats = Statistics()
    private let lock = NSLock()

    /// - Parameters:
    ///   - capacityBytes: total memory the device can hold.
    ///   - maxBufferBytes: the largest single buffer the device allows.
    ///   - allocate: creates a new buffer of the given element count on the device.
    public init(
        deviceName: String, capacityBytes: Int, maxBufferBytes: Int,
        allocate: @escaping @Sendable (Int) throws -> any DeviceBuffer
    ) {
        self.deviceName = deviceName
        self.capacityBytes = capacityBytes
        self.maxBufferBytes = maxBufferBytes
        self.allocateBuffer = allocate
    }

    /// The current counters.
    public var statistics: Statistics {
        lock.withLock { stats }
    }

    /// A buffer of exactly `count` elements, reused when one is cached.
    public func acquire(count requested: Int) throws -> any DeviceBuffer {
        let count = max(requested, 1)
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Float>.size)
        if overflow {
            throw BackendError.outOfMemory(device: deviceName, requestedBytes: .max, availableBytes: maxBufferBytes)
        }
        lock.lock()
        defer { lock.unlock() }
        if var cached = free[count], let buffer = cached.popLast() {
            free[count] = cached
            stats.reuses += 1
            stats.bytesCached -= bytes
            noteInUse(bytes)
            return buffer
        }
        if bytes > maxBufferBytes {
            throw BackendError.outOfMemory(
                device: deviceName, requestedBytes: bytes, availableBytes: maxBufferBytes)
        }
        if stats.bytesInUse + stats.bytesCached + bytes > capacityBytes {
            releaseCachedLocked()
        }
        if stats.bytesInUse + bytes > capacityBytes {
            throw BackendError.outOfMemory(
                device: deviceName, requestedBytes: bytes, availableBytes: capacityBytes - stats.bytesInUse)
        }
        let buffer: any DeviceBuffer
        do {
            buffer = try allocateBuffer(count)
        } catch BackendError.outOfMemory where stats.bytesCached > 0 {
            // The system refused (a limit the capacity did not know of): the cached buffers may
            // be what it lacks.
            releaseCachedLocked()
            buffer = try allocateBuffer(count)
        }
        stats.allocations += 1
        noteInUse(bytes)
        return buffer
    }

    /// Returns a buffer to the cache.
    public func release(_ buffer: any DeviceBuffer) {
        let bytes = buffer.count * MemoryLayout<Float>.size
        lock.withLock {
            free[buffer.count, default: []].append(buffer)
            stats.bytesInUse -= bytes
            stats.bytesCached += bytes
        }
    }

    /// Starts a new peak: `peakBytesInUse` becomes the bytes in use now and `peakBytesHeld` the
    /// bytes held now (the trainer measures each epoch's peak this way, `bench train` one step's).
    public func resetPeak() {
        lock.withLock {
            stats.peakBytesInUse = stats.bytesInUse
            stats.peakBytesHeld = stats.bytesInUse + stats.bytesCached
        }
    }

    /// Frees every cached buffer (live tensors keep theirs).
    public func trim() {
        lock.withLock { releaseCachedLocked() }
    }

    private func releaseCachedLocked() {
        free.removeAll()
        stats.bytesCached = 0
    }

    private func noteInUse(_ bytes: Int) {
        stats.bytesInUse += bytes
        stats.peakBytesInUse = max(stats.peakBytesInUse, stats.bytesInUse)
        stats.peakBytesHeld = max(stats.peakBytesHeld, stats.bytesInUse + stats.bytesCached)
    }
}

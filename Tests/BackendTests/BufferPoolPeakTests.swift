@testable import Backend
import Testing

/// The pool's peaks: bytes in live tensors, and bytes held with the cached free buffers.
struct BufferPoolPeakTests {
    static func pool() -> BufferPool {
        BufferPool(deviceName: "test", capacityBytes: 1 << 20, maxBufferBytes: 1 << 20) { count in
            try CPUBuffer(count: count)
        }
    }

    @Test func peaksCountLiveBuffersAndCachedOnesApart() throws {
        let pool = Self.pool()
        let a = try pool.acquire(count: 100)  // 400 bytes
        let b = try pool.acquire(count: 50)  // 200 bytes
        pool.release(b)
        _ = try pool.acquire(count: 25)  // 100 bytes; the cached 200 cannot serve it
        let statistics = pool.statistics
        #expect(statistics.bytesInUse == 500)
        #expect(statistics.bytesCached == 200)
        #expect(statistics.peakBytesInUse == 600)
        #expect(statistics.peakBytesHeld == 700)
        withExtendedLifetime(a) {}
    }

    @Test func resetPeakStartsFromWhatIsHeldNow() throws {
        let pool = Self.pool()
        let kept = try pool.acquire(count: 100)
        pool.release(try pool.acquire(count: 200))
        pool.resetPeak()
        #expect(pool.statistics.peakBytesInUse == 400)
        #expect(pool.statistics.peakBytesHeld == 1200)
        pool.trim()
        pool.resetPeak()
        #expect(pool.statistics.peakBytesHeld == 400)
        let small = try pool.acquire(count: 10)
        pool.release(small)
        #expect(pool.statistics.peakBytesInUse == 440)
        #expect(pool.statistics.peakBytesHeld == 440)
        withExtendedLifetime(kept) {}
    }
}

import Dispatch
import Foundation

/// A small STREAM-like probe of the host's memory bandwidth, the yardstick for memory-bound CPU
/// ops such as the fused Adam update.
public enum MemoryBandwidthProbe {
    /// Elements per array: 3 × 128 MiB, far beyond any last-level cache.
    public static let defaultCount = 32 << 20

    /// Two rows (GB/s, median of `repetitions` after a warm-up, all cores): `triad`
    /// (`a = b + s·c`, counted as 12 bytes per element as STREAM does) and `update` (`a += s·b`
    /// in place, 12 bytes per element, the access pattern of an optimizer update). Each of the
    /// three arrays holds `count` Floats (rounded down to a multiple of 16).
    public static func rows(count requested: Int = defaultCount, repetitions: Int = 10) -> [BenchmarkRow] {
        let count = max(16, requested / 16 * 16)
        let arrays = UnsafeArrays(count: count)
        defer { arrays.deallocate() }
        // 16-float vectors, so the loops cost little CPU time next to the memory traffic.
        let vectors = count / 16
        let triad = median(repetitions) {
            inParallel(vectors) { range in
                for v in range {
                    let offset = 64 * v
                    let sum = arrays.b.load(fromByteOffset: offset, as: Vector.self)
                        + 0.5 * arrays.c.load(fromByteOffset: offset, as: Vector.self)
                    arrays.a.storeBytes(of: sum, toByteOffset: offset, as: Vector.self)
                }
            }
        }
        let update = median(repetitions) {
            inParallel(vectors) { range in
                for v in range {
                    let offset = 64 * v
                    let sum = arrays.a.load(fromByteOffset: offset, as: Vector.self)
                        + 1e-3 * arrays.b.load(fromByteOffset: offset, as: Vector.self)
                    arrays.a.storeBytes(of: sum, toByteOffset: offset, as: Vector.self)
                }
            }
        }
        let bytes = Double(12 * count)
        let size = "3×\((count * 4) >> 20) MiB"
        return [("triad", triad), ("update", update)].map { path, seconds in
            BenchmarkRow(
                benchmark: "memory", size: size, path: path, device: "cpu",
                medianMilliseconds: seconds * 1e3, rate: bytes / seconds / 1e9, unit: "GB/s")
        }
    }

    /// The higher of the two rates, the bandwidth other benchmarks compare against.
    public static func bandwidth(of rows: [BenchmarkRow]) -> Double {
        rows.filter { $0.benchmark == "memory" }.map(\.rate).max() ?? 0
    }

    /// The median of `repetitions` timed runs after one warm-up run, in seconds.
    static func median(_ repetitions: Int, _ body: () -> Void) -> Double {
        body()
        let times = (0..<max(1, repetitions)).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }.sorted()
        return times[times.count / 2]
    }

    /// Splits `0..<count` into one contiguous chunk per core.
    static func inParallel(_ count: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let chunks = ProcessInfo.processInfo.activeProcessorCount
        let per = (count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            body(chunk * per..<min(count, (chunk + 1) * per))
        }
    }
}

private typealias Vector = SIMD16<Float>

/// The probe's three arrays (64-byte aligned, pages touched), shared by the worker threads,
/// each of which writes a disjoint range.
private struct UnsafeArrays: @unchecked Sendable {
    let a: UnsafeMutableRawPointer
    let b: UnsafeMutableRawPointer
    let c: UnsafeMutableRawPointer

    init(count: Int) {
        func array(_ value: Float) -> UnsafeMutableRawPointer {
            let memory = UnsafeMutableRawPointer.allocate(byteCount: 4 * count, alignment: 64)
            memory.initializeMemory(as: Float.self, repeating: value, count: count)
            return memory
        }
        a = array(1)
        b = array(2)
        c = array(3)
    }

    func deallocate() {
        a.deallocate()
        b.deallocate()
        c.deallocate()
    }
}

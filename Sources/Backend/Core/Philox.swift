/// The Philox-4x32-10 counter-based generator (Salmon et al., "Parallel random numbers: as easy
/// as 1, 2, 3", SC 2011): a keyed bijection of a 128-bit counter. `Kernels/random.cl` holds the
/// same function in OpenCL C, so both devices draw identical words.
public enum Philox {
    static let multiplier0: UInt32 = 0xD251_1F53
    static let multiplier1: UInt32 = 0xCD9E_8D57
    static let keyStep0: UInt32 = 0x9E37_79B9
    static let keyStep1: UInt32 = 0xBB67_AE85

    /// The four 32-bit words that `counter` maps to under `key` (ten rounds).
    @inline(__always)
    public static func block(key: SIMD2<UInt32>, counter: SIMD4<UInt32>) -> SIMD4<UInt32> {
        var x = counter
        var k = key
        for round in 0..<10 {
            if round > 0 {
                k[0] &+= keyStep0
                k[1] &+= keyStep1
            }
            let product0 = UInt64(multiplier0) &* UInt64(x[0])
            let product1 = UInt64(multiplier1) &* UInt64(x[2])
            x = SIMD4(
                UInt32(truncatingIfNeeded: product1 >> 32) ^ x[1] ^ k[0],
                UInt32(truncatingIfNeeded: product1),
                UInt32(truncatingIfNeeded: product0 >> 32) ^ x[3] ^ k[1],
                UInt32(truncatingIfNeeded: product0))
        }
        return x
    }

    /// The block holding element `index` of `stream`: key = seed, counter = (index / 4, offset).
    /// Element `index` takes word `index % 4`.
    @inline(__always)
    static func block(of stream: RandomStream, elementIndex index: Int) -> SIMD4<UInt32> {
        let group = UInt64(index / 4)
        return block(
            key: SIMD2(UInt32(truncatingIfNeeded: stream.seed), UInt32(truncatingIfNeeded: stream.seed >> 32)),
            counter: SIMD4(
                UInt32(truncatingIfNeeded: group), UInt32(truncatingIfNeeded: group >> 32),
                UInt32(truncatingIfNeeded: stream.offset), UInt32(truncatingIfNeeded: stream.offset >> 32)))
    }

    /// A word's top 24 bits as a Float in [0, 1) (exact, so both devices agree bit for bit).
    @inline(__always)
    static func unitFloat(_ word: UInt32) -> Float {
        Float(word >> 8) * 0x1p-24
    }

    /// A word's top 24 bits as a Float in (0, 1], the logarithm's argument in Box–Muller.
    @inline(__always)
    static func positiveUnitFloat(_ word: UInt32) -> Float {
        Float((word >> 8) + 1) * 0x1p-24
    }
}

/// What decides a random fill: the seed (the Philox key) and an offset (the high half of the
/// counter) that separates the draws made with one seed, e.g. one offset per training step.
/// Element `i` of a fill depends only on (seed, offset, i), never on the device or the
/// work-group size.
public struct RandomStream: Sendable, Hashable {
    /// The Philox key.
    public var seed: UInt64
    /// The counter's high half: draws with different offsets are independent.
    public var offset: UInt64

    /// The stream of `seed` at `offset`.
    public init(seed: UInt64, offset: UInt64 = 0) {
        self.seed = seed
        self.offset = offset
    }
}

import Foundation

/// A random number generator whose whole sequence is decided by (study seed, trial number,
/// stream): xoshiro256** started from a SplitMix64 hash of the three.
///
/// Every random draw for a trial comes from such a generator, so a trial's draws do not depend on
/// which worker runs it or on what other trials drew: a serial study repeats exactly, and parallel
/// workers propose the same start-up points as a serial run.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator for `trial` of a study seeded with `seed`; `stream` separates independent uses
    /// (one sampler from another, sampling from pruning).
    public init(seed: UInt64, trial: Int, stream: UInt64 = 0) {
        var mixer = Self.splitMix(seed ^ Self.splitMix(UInt64(bitPattern: Int64(trial)) &+ Self.splitMix(stream)))
        func next() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            return Self.splitMix(mixer)
        }
        state = (next(), next(), next(), next())
    }

    public mutating func next() -> UInt64 {
        let result = Self.rotate(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = Self.rotate(state.3, 45)
        return result
    }

    /// A uniform draw from `0..<1` with 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A standard normal draw (Box–Muller).
    public mutating func gaussian() -> Double {
        let u = 1 - uniform()  // (0, 1]
        let v = uniform()
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * .pi * v)
    }

    /// A uniform integer in `0..<count`.
    public mutating func index(below count: Int) -> Int {
        Int.random(in: 0..<count, using: &self)
    }

    /// One SplitMix64 finalisation step: a good 64-bit hash.
    static func splitMix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

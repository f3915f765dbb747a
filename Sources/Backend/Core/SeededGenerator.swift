/// A small, fast, seeded generator (SplitMix64): the same seed gives the same stream on every
/// machine and Swift version. Host-side randomness (shuffles, splits, augmentation, test data)
/// draws from it.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose stream is fixed by `seed`.
    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    /// A generator for one item of a keyed family, e.g. (seed, epoch, sample): streams for
    /// different keys are unrelated, and each is fixed by its key.
    public init(seed: UInt64, keys: UInt64...) {
        var mixed = SeededGenerator(seed: seed)
        var value = mixed.next()
        for key in keys {
            var step = SeededGenerator(seed: value ^ key)
            value = step.next()
        }
        self.init(seed: value)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` by the multiply-high method (0 when `bound <= 1`); unlike
    /// `Int.random(in:using:)` its result does not depend on the standard library's version.
    public mutating func nextIndex(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform Float in [0, 1) from the top 24 bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform Float in `range` (lower bound included, upper excluded unless equal).
    public mutating func nextFloat(in range: ClosedRange<Float>) -> Float {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextUnitFloat()
    }

    /// Shuffles `values` in place (Fisher–Yates); the order depends only on the stream.
    public mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for index in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(index, nextIndex(below: index + 1))
        }
    }
}

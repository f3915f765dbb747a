/// Host-side randomness from a `RandomStream`: the n-th 32-bit word drawn is the word a device
/// fill with the same stream uses for element n, so host draws (shuffles, splits, augmentation)
/// follow the same counter-based scheme as the devices and depend only on (seed, offset).
/// Unlike `Int.random(in:using:)`, the helpers below do not depend on the standard library's
/// version.
public struct PhiloxGenerator: RandomNumberGenerator, Sendable {
    /// The stream drawn from.
    public let stream: RandomStream
    private var element = 0
    private var block = SIMD4<UInt32>()

    /// A generator at the start of `stream`.
    public init(stream: RandomStream) {
        self.stream = stream
    }

    /// A generator at the start of the stream (`seed`, `offset`).
    public init(seed: UInt64, offset: UInt64 = 0) {
        self.init(stream: RandomStream(seed: seed, offset: offset))
    }

    /// The next 32-bit word of the stream.
    public mutating func nextWord() -> UInt32 {
        if element % 4 == 0 { block = Philox.block(of: stream, elementIndex: element) }
        defer { element += 1 }
        return block[element % 4]
    }

    /// The next 64 bits: two words, the first in the low half.
    public mutating func next() -> UInt64 {
        let low = UInt64(nextWord())
        return low | UInt64(nextWord()) << 32
    }

    /// A uniform Float in [0, 1) from one word, as a device's uniform fill computes it.
    public mutating func nextUnitFloat() -> Float {
        Philox.unitFloat(nextWord())
    }

    /// A uniform Float in `range` (the upper end excluded unless the range is a point).
    public mutating func nextFloat(in range: ClosedRange<Float>) -> Float {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextUnitFloat()
    }

    /// A uniform integer in `0..<bound` by the multiply-high method; 0 when `bound <= 1`.
    public mutating func nextIndex(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// Shuffles `values` in place (Fisher–Yates); the order depends only on the stream.
    public mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for index in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(index, nextIndex(below: index + 1))
        }
    }
}

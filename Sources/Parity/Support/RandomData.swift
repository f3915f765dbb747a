import Backend

/// A small seeded generator (SplitMix64) so every parity input is reproducible from its seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Fresh random values in `range` that are never exactly zero.
public func randomValues(_ count: Int, in range: ClosedRange<Float> = -1...1, seed: UInt64) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in
        var value: Float = 0
        while value == 0 { value = Float.random(in: range, using: &generator) }
        return value
    }
}

/// A tensor of random values (see `randomValues`).
public func randomTensor(
    _ shape: [Int], in range: ClosedRange<Float> = -1...1, seed: UInt64, on device: any Device
) throws -> Tensor {
    try Tensor(randomValues(Tensor.elementCount(shape), in: range, seed: seed), shape: shape, on: device)
}

/// A tensor whose every element is NaN, used as an op's output so an op that writes nothing fails.
public func poisonedTensor(_ shape: [Int], on device: any Device) throws -> Tensor {
    try Tensor([Float](repeating: .nan, count: Tensor.elementCount(shape)), shape: shape, on: device)
}

/// Points of the Sobol low-discrepancy sequence in `[0, 1)^d`, computed directly from the index
/// (Gray-code order, so the first `2^m` points of every dimension are stratified), optionally
/// scrambled (Owen's nested uniform scrambling), which keeps that structure.
struct SobolSequence: Sendable {
    static let bits = 32
    /// `directions[dimension][k]`: the k-th direction number, scaled to 32 bits.
    private let directions: [[UInt32]]
    /// Per-dimension seeds of the scrambling (nil: unscrambled).
    private let scrambleSeeds: [UInt64]?

    /// A sequence in `dimensions` dimensions; `scramble` draws the scrambling (nil: unscrambled).
    init(dimensions: Int, scramble: SeededRandom?) throws {
        guard dimensions <= SobolDirectionNumbers.maximumDimensions else {
            throw TuningError.invalidSettings(
                component: "Sobol sampler",
                reason: "the space has \(dimensions) searched parameters; the direction-number table supports \(SobolDirectionNumbers.maximumDimensions)")
        }
        directions = (0..<dimensions).map(Self.directionNumbers)
        if var random = scramble {
            scrambleSeeds = (0..<dimensions).map { _ in random.next() }
        } else {
            scrambleSeeds = nil
        }
    }

    /// The point with the given index (index 0 is the origin when unscrambled).
    func point(_ index: Int) -> [Double] {
        let gray = UInt64(index) ^ (UInt64(index) >> 1)
        return directions.indices.map { dimension in
            var x: UInt32 = 0
            var bits = gray
            var k = 0
            while bits != 0, k < Self.bits {
                if bits & 1 == 1 { x ^= directions[dimension][k] }
                bits >>= 1
                k += 1
            }
            if let seeds = scrambleSeeds { x = Self.nestedScramble(x, seed: seeds[dimension]) }
            return Double(x) * 0x1p-32
        }
    }

    /// Owen's nested uniform scrambling of one coordinate: each bit, from the top, flips by a
    /// random bit drawn from the dimension's seed and the bits above it, so every dyadic interval
    /// gets its own random permutation of its halves. The points of an interval stay together
    /// (the stratification stays), and the dimensions no longer move in lockstep as they do
    /// under one digital shift (where the first four points of every dimension take the same
    /// four values up to the shift, so they lie on a diagonal of the cube).
    static func nestedScramble(_ x: UInt32, seed: UInt64) -> UInt32 {
        var result: UInt32 = 0
        var prefix: UInt64 = 1  // a leading 1, then the bits above the current one
        for k in 0..<bits {
            let position = UInt32(bits - 1 - k)
            let bit = (x >> position) & 1
            let flip = UInt32(truncatingIfNeeded: SeededRandom.splitMix(seed ^ (prefix &* 0x9E37_79B9_7F4A_7C15)) >> 63)
            result |= (bit ^ flip) << position
            prefix = prefix << 1 | UInt64(bit)
        }
        return result
    }

    private static func directionNumbers(dimension: Int) -> [UInt32] {
        var m = [UInt32](repeating: 1, count: bits)
        if dimension > 0 {
            let (s, a, initial) = SobolDirectionNumbers.table[dimension - 1]
            for k in 0..<bits {
                if k < s {
                    m[k] = initial[k]
                } else {
                    var value = m[k - s] ^ (m[k - s] << UInt32(s))
                    for j in 1..<s where (a >> UInt32(s - 1 - j)) & 1 == 1 {
                        value ^= m[k - j] << UInt32(j)
                    }
                    m[k] = value
                }
            }
        }
        return (0..<bits).map { k in m[k] << UInt32(bits - 1 - k) }
    }
}

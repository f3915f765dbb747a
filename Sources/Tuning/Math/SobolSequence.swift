/// Points of the Sobol low-discrepancy sequence in `[0, 1)^d`, computed directly from the index
/// (Gray-code order, so the first `2^m` points of every dimension are stratified), optionally
/// with a random digital shift that keeps that structure.
struct SobolSequence: Sendable {
    static let bits = 32
    /// `directions[dimension][k]`: the k-th direction number, scaled to 32 bits.
    private let directions: [[UInt32]]
    /// Per-dimension XOR shift (zero when unscrambled).
    private let shifts: [UInt32]

    /// A sequence in `dimensions` dimensions; `shift` draws the digital shift (nil: unscrambled).
    init(dimensions: Int, shift: SeededRandom?) throws {
        guard dimensions <= SobolDirectionNumbers.maximumDimensions else {
            throw TuningError.invalidSettings(
                component: "Sobol sampler",
                reason: "the space has \(dimensions) searched parameters; the direction-number table supports \(SobolDirectionNumbers.maximumDimensions)")
        }
        directions = (0..<dimensions).map(Self.directionNumbers)
        if var random = shift {
            shifts = (0..<dimensions).map { _ in UInt32(truncatingIfNeeded: random.next() >> 32) }
        } else {
            shifts = Array(repeating: 0, count: dimensions)
        }
    }

    /// The point with the given index (index 0 is the origin when unscrambled).
    func point(_ index: Int) -> [Double] {
        let gray = UInt64(index) ^ (UInt64(index) >> 1)
        return directions.indices.map { dimension in
            var x = shifts[dimension]
            var bits = gray
            var k = 0
            while bits != 0, k < Self.bits {
                if bits & 1 == 1 { x ^= directions[dimension][k] }
                bits >>= 1
                k += 1
            }
            return Double(x) * 0x1p-32
        }
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

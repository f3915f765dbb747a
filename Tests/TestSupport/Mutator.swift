/// Seeded mutations of valid inputs, for fuzz tests: bit flips, truncation, huge and odd numbers,
/// deep nesting, random bytes, repeated and deleted chunks. The same seed gives the same cases.
///
/// It never writes YAML aliases on purpose (an alias bomb is the YAML reader's own limit to
/// test); a random byte may still form one now and then, which the reader must survive.
public struct Mutator {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits (SplitMix64).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A random integer in `0..<bound` (`bound` > 0).
    public mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// A random element of `items` (not empty).
    public mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// Numbers that break naive size arithmetic or parsing.
    public static let hostileNumbers = [
        "0", "-1", "-0", "1e308", "-1e308", "1e-320", "nan", ".nan", ".inf", "-.inf", "4611686018427387904",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "18446744073709551616",
        "99999999999999999999999999", "2147483648", "3037000500", "65536", "100000", "0x7fffffffffffffff", "1.5", "3e9", "",
    ]

    /// `input` with 1 to 3 mutations.
    public mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...below(3) { bytes = mutateOnce(bytes) }
        return bytes
    }

    /// `input` with one mutation.
    public mutating func mutateOnce(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        let at = below(bytes.count + 1)
        switch below(8) {
        case 0:  // Flip 1 to 8 bits.
            guard !bytes.isEmpty else { return randomBytes(8) }
            for _ in 0...below(8) { bytes[below(bytes.count)] ^= 1 << UInt8(below(8)) }
        case 1:  // Cut the end off.
            bytes = Array(bytes.prefix(at))
        case 2:
            bytes = replacingNumber(in: bytes)
        case 3:  // Deep nesting, in JSON/flow style or as indented YAML.
            let depth = pick([64, 1_000, 20_000])
            let nesting: [UInt8] = below(2) == 0
                ? Array(String(repeating: pick(["[", "{a: ", "{\"a\":"]), count: depth).utf8)
                : Array((0..<min(depth, 2_000)).map { String(repeating: " ", count: $0) + "- " }.joined(separator: "\n").utf8)
            bytes.insert(contentsOf: nesting, at: at)
        case 4:  // Random bytes over or into the input.
            let noise = randomBytes(1 + below(16))
            if below(2) == 0, at + noise.count <= bytes.count {
                bytes.replaceSubrange(at..<(at + noise.count), with: noise)
            } else {
                bytes.insert(contentsOf: noise, at: at)
            }
        case 5:  // Repeat a chunk many times.
            let chunk = Array(bytes[at..<min(bytes.count, at + 1 + below(40))])
            bytes.insert(contentsOf: Array([[UInt8]](repeating: chunk, count: 1 + below(200)).joined()), at: at)
        case 6:  // Delete a chunk.
            bytes.removeSubrange(at..<min(bytes.count, at + 1 + below(64)))
        default:  // Move a line elsewhere.
            let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
            guard lines.count > 1 else { return randomBytes(8) }
            var shuffled = lines
            let line = shuffled.remove(at: below(shuffled.count))
            shuffled.insert(line, at: below(shuffled.count + 1))
            bytes = Array(shuffled.joined(separator: [UInt8(ascii: "\n")]))
        }
        return bytes
    }

    /// `input` with a number (the first run of digits after a random place, else anywhere)
    /// replaced by a hostile one: what reaches size arithmetic most often.
    public mutating func replacingNumber(in input: [UInt8]) -> [UInt8] {
        var bytes = input
        let number = Array(pick(Self.hostileNumbers).utf8)
        let at = below(bytes.count + 1)
        if let digits = digitRun(in: bytes, near: at) ?? digitRun(in: bytes, near: 0) {
            bytes.replaceSubrange(digits, with: number)
        } else {
            bytes.insert(contentsOf: number, at: at)
        }
        return bytes
    }

    /// `count` random bytes, control characters and invalid UTF-8 included.
    public mutating func randomBytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }

    /// The first run of ASCII digits at or after `index` (at most 200 bytes on), if any.
    private func digitRun(in bytes: [UInt8], near index: Int) -> Range<Int>? {
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        guard let start = bytes[index...].prefix(200).firstIndex(where: isDigit) else { return nil }
        let end = bytes[start...].firstIndex { !isDigit($0) } ?? bytes.count
        return start..<end
    }
}

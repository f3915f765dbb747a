import Backend
import Foundation

/// The counter-based generator's outputs in Double, from the Swift Philox (itself checked
/// against Random123's known answers).
public enum RandomReference {
    /// Random123's known-answer vectors for Philox-4x32-10: (key, counter, expected words).
    public static let knownAnswers: [(key: SIMD2<UInt32>, counter: SIMD4<UInt32>, words: SIMD4<UInt32>)] = [
        (SIMD2(0, 0), SIMD4(0, 0, 0, 0), SIMD4(0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8)),
        (SIMD2(repeating: 0xFFFF_FFFF), SIMD4(repeating: 0xFFFF_FFFF), SIMD4(0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD)),
    ]

    /// Element `i`'s word of `stream`.
    public static func word(_ i: Int, _ stream: RandomStream) -> UInt32 {
        let group = UInt64(i / 4)
        let block = Philox.block(
            key: SIMD2(UInt32(truncatingIfNeeded: stream.seed), UInt32(truncatingIfNeeded: stream.seed >> 32)),
            counter: SIMD4(
                UInt32(truncatingIfNeeded: group), UInt32(truncatingIfNeeded: group >> 32),
                UInt32(truncatingIfNeeded: stream.offset), UInt32(truncatingIfNeeded: stream.offset >> 32)))
        return block[i % 4]
    }

    /// A word's top 24 bits as a number in [0, 1).
    public static func unit(_ word: UInt32) -> Double { Double(word >> 8) / 16_777_216 }

    /// Element `i` of a normal fill of `stream`: Box–Muller on the words of its pair.
    public static func normal(_ i: Int, _ stream: RandomStream, mean: Double, standardDeviation: Double) -> Double {
        let pair = (i % 4) / 2
        let base = i - i % 4 + 2 * pair
        let radius = (-2 * log(Double((word(base, stream) >> 8) + 1) / 16_777_216)).squareRoot()
        let angle = 2 * Double.pi * unit(word(base + 1, stream))
        return mean + standardDeviation * radius * (i % 2 == 0 ? cos(angle) : sin(angle))
    }

    /// 1 for the elements that dropout with `probability` keeps, 0 for the others.
    public static func dropoutKeep(count: Int, probability: Float, stream: RandomStream) -> [Double] {
        (0..<count).map { unit(word($0, stream)) >= Double(probability) ? 1.0 : 0.0 }
    }
}

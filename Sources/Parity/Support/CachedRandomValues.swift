import Foundation

/// `randomValues` remembered by count, range and seed. Building a million values takes seconds
/// in a debug build, so suites that feed the same large inputs to many ops share them.
public func cachedRandomValues(_ count: Int, in range: ClosedRange<Float> = -1...1, seed: UInt64) -> [Float] {
    RandomValueCache.shared.values(count, range, seed)
}

private final class RandomValueCache: @unchecked Sendable {
    struct Key: Hashable {
        var count: Int
        var range: ClosedRange<Float>
        var seed: UInt64
    }

    static let shared = RandomValueCache()
    private var entries: [Key: [Float]] = [:]
    private let lock = NSLock()

    func values(_ count: Int, _ range: ClosedRange<Float>, _ seed: UInt64) -> [Float] {
        let key = Key(count: count, range: range, seed: seed)
        if let cached = lock.withLock({ entries[key] }) { return cached }
        let fresh = randomValues(count, in: range, seed: seed)
        lock.withLock { entries[key] = fresh }
        return fresh
    }
}

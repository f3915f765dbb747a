/// Whether a study looks for the smallest or the largest objective value.
public enum StudyDirection: String, Sendable, Hashable, Codable, CaseIterable {
    case minimize
    case maximize

    /// Whether `candidate` is strictly better than `incumbent`.
    public func isBetter(_ candidate: Double, than incumbent: Double) -> Bool {
        self == .minimize ? candidate < incumbent : candidate > incumbent
    }

    /// The value as a loss: itself when minimizing, negated when maximizing. Samplers and pruners
    /// work on losses so they need no direction logic of their own.
    public func loss(_ value: Double) -> Double {
        self == .minimize ? value : -value
    }

    /// The better of two values.
    public func best(_ a: Double, _ b: Double) -> Double {
        isBetter(b, than: a) ? b : a
    }
}

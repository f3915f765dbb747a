/// One named hyperparameter of a search space, possibly conditional on another one.
public struct Parameter: Sendable, Hashable, Codable {
    /// The name the objective reads the value by.
    public var name: String
    /// The values it may take.
    public var distribution: Distribution
    /// When set, the parameter exists only if its parent categorical has one of the given values.
    public var condition: Condition?

    public init(_ name: String, _ distribution: Distribution, condition: Condition? = nil) {
        self.name = name
        self.distribution = distribution
        self.condition = condition
    }

    /// A real number in `range`, log-scaled if `log`, on a grid of `step` if given.
    public static func float(
        _ name: String, _ range: ClosedRange<Double>, log: Bool = false, step: Double? = nil
    ) -> Parameter {
        Parameter(name, .float(low: range.lowerBound, high: range.upperBound, log: log, step: step))
    }

    /// An integer in `range` on a grid of `step`, log-scaled if `log`.
    public static func int(_ name: String, _ range: ClosedRange<Int>, step: Int = 1, log: Bool = false) -> Parameter {
        Parameter(name, .int(low: range.lowerBound, high: range.upperBound, step: step, log: log))
    }

    /// One of `choices`.
    public static func categorical(_ name: String, _ choices: [ParameterValue]) -> Parameter {
        Parameter(name, .categorical(choices))
    }

    /// Always `value`.
    public static func fixed(_ name: String, _ value: ParameterValue) -> Parameter {
        Parameter(name, .fixed(value))
    }

    /// The same parameter, existing only when `parent` takes one of `values`.
    public func when(_ parent: String, in values: [ParameterValue]) -> Parameter {
        var copy = self
        copy.condition = Condition(parent: parent, values: values)
        return copy
    }

    /// The same parameter, existing only when `parent == value`.
    public func when(_ parent: String, is value: ParameterValue) -> Parameter {
        when(parent, in: [value])
    }
}

/// The rule that makes a parameter exist: its parent categorical (or fixed) parameter takes one of
/// `values`.
public struct Condition: Sendable, Hashable, Codable {
    /// The name of the parent parameter, declared earlier in the space.
    public var parent: String
    /// The parent's values under which the parameter exists.
    public var values: [ParameterValue]

    public init(parent: String, values: [ParameterValue]) {
        self.parent = parent
        self.values = values
    }
}

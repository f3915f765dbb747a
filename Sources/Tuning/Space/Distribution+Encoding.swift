import Foundation

/// The numeric views of a distribution that samplers work in.
///
/// Numeric distributions have an *internal* axis: the value itself, or its logarithm for
/// log-scaled ones; a stepped or integer axis is widened by half a step at each end so that every
/// grid value owns an equal share of it. Categoricals are indexed by their choice position.
extension Distribution {
    /// Whether the distribution is searched on a numeric internal axis (floats and ints).
    public var isNumeric: Bool {
        switch self {
        case .float, .int: return true
        case .categorical, .fixed: return false
        }
    }

    /// The number of choices of a categorical (1 for a fixed value, 0 for numbers).
    public var choiceCount: Int {
        switch self {
        case let .categorical(choices): return choices.count
        case .fixed: return 1
        case .float, .int: return 0
        }
    }

    /// The internal axis of a numeric distribution (see the type's discussion).
    public var internalRange: ClosedRange<Double> {
        switch self {
        case let .float(low, high, log, step):
            if log { return Foundation.log(low)...Foundation.log(high) }
            let half = (step ?? 0) / 2
            return (low - half)...(high + half)
        case let .int(low, high, step, log):
            if log { return Foundation.log(Double(low) - 0.5)...Foundation.log(Double(high) + 0.5) }
            let half = Double(step) / 2
            return (Double(low) - half)...(Double(high) + half)
        case let .categorical(choices):
            return -0.5...(Double(choices.count) - 0.5)
        case .fixed:
            return -0.5...0.5
        }
    }

    /// Where `value` lies on the internal axis (a categorical's choice index), or `nil` when the
    /// value is of the wrong kind.
    public func internalValue(of value: ParameterValue) -> Double? {
        switch self {
        case let .float(_, _, log, _):
            guard let number = value.doubleValue else { return nil }
            if log { return number > 0 ? Foundation.log(number) : nil }
            return number
        case let .int(_, _, _, log):
            guard let number = value.doubleValue else { return nil }
            if log { return number > 0 ? Foundation.log(number) : nil }
            return number
        case .categorical, .fixed:
            return choiceIndex(of: value).map(Double.init)
        }
    }

    /// The value at a point of the internal axis: rounded to the step and clamped to the bounds.
    public func value(fromInternal x: Double) -> ParameterValue {
        switch self {
        case let .float(low, high, log, step):
            var number = log ? Foundation.exp(x) : x
            if let step { number = low + ((number - low) / step).rounded() * step }
            return .double(Swift.min(Swift.max(number, low), high))
        case let .int(low, high, step, log):
            let number = log ? Foundation.exp(x) : x
            guard number.isFinite else { return .int(number > 0 ? high : low) }
            let steps = ((number - Double(low)) / Double(step)).rounded()
            let clampedSteps = Swift.min(Swift.max(steps, 0), Double((high - low) / step))
            return .int(low + Int(clampedSteps) * step)
        case let .categorical(choices):
            let index = Int(Swift.min(Swift.max(x.rounded(), 0), Double(choices.count - 1)))
            return choices[index]
        case let .fixed(value):
            return value
        }
    }

    /// The value at a point `u` of the unit interval: the internal axis stretched onto `0..<1`,
    /// so uniform `u` gives uniform (or log-uniform) values and equally likely choices.
    public func value(fromUnit u: Double) -> ParameterValue {
        switch self {
        case let .categorical(choices):
            return choices[Swift.min(Int(u * Double(choices.count)), choices.count - 1)]
        case let .fixed(value):
            return value
        case .float, .int:
            let range = internalRange
            return value(fromInternal: range.lowerBound + u * (range.upperBound - range.lowerBound))
        }
    }

    /// Where `value` lies in the unit interval (the inverse of `value(fromUnit:)` up to rounding).
    public func unitValue(of value: ParameterValue) -> Double? {
        guard let x = internalValue(of: value) else { return nil }
        let range = internalRange
        return (x - range.lowerBound) / (range.upperBound - range.lowerBound)
    }

    /// For a discrete numeric distribution (int, stepped float), the stretch of the internal
    /// axis that rounds to the same value as `x`; `nil` for continuous floats and categoricals.
    public func internalBin(around x: Double) -> ClosedRange<Double>? {
        switch self {
        case let .float(_, _, _, step?):
            let value = self.value(fromInternal: x).doubleValue ?? x
            return (value - step / 2)...(value + step / 2)
        case let .int(_, _, step, log):
            let value = Double(self.value(fromInternal: x).intValue ?? 0)
            let half = Double(step) / 2
            if log { return Foundation.log(value - half)...Foundation.log(value + half) }
            return (value - half)...(value + half)
        case .float, .categorical, .fixed:
            return nil
        }
    }

    /// The position of `value` among a categorical's choices (0 for a fixed value that matches).
    public func choiceIndex(of value: ParameterValue) -> Int? {
        switch self {
        case let .categorical(choices): return choices.firstIndex { $0.matches(value) }
        case let .fixed(fixed): return fixed.matches(value) ? 0 : nil
        case .float, .int: return nil
        }
    }

    /// The values a grid search visits: every choice, every int step, every float step, and
    /// How many values `gridValues(floatPoints:)` gives at most, in Double so that no range
    /// overflows: a grid sampler checks it before it enumerates a range.
    public func gridCount(floatPoints: Int) -> Double {
        switch self {
        case let .categorical(choices): return Double(choices.count)
        case .fixed: return 1
        case let .int(low, high, step, log):
            let all = ((Double(high) - Double(low)) / Double(step)).rounded(.down) + 1
            return log ? Swift.min(all, Double(floatPoints)) : all
        case let .float(low, high, _, step):
            return step.map { ((high - low) / $0).rounded() + 1 } ?? Double(floatPoints)
        }
    }

    /// `floatPoints` evenly spaced (log-spaced when log-scaled) values of a continuous float.
    public func gridValues(floatPoints: Int) -> [ParameterValue] {
        switch self {
        case let .categorical(choices):
            return choices
        case let .fixed(value):
            return [value]
        case let .int(low, high, step, log):
            let all = stride(from: low, through: high, by: step).map(ParameterValue.int)
            guard log, all.count > floatPoints else { return all }
            return Self.spaced(count: floatPoints, from: Foundation.log(Double(low)), to: Foundation.log(Double(high)))
                .map { value(fromInternal: $0) }
                .reduce(into: [ParameterValue]()) { if !$0.contains($1) { $0.append($1) } }
        case let .float(low, high, log, step):
            if let step {
                let count = Int(((high - low) / step).rounded()) + 1
                return (0..<count).map { .double(Swift.min(low + Double($0) * step, high)) }
            }
            let from = log ? Foundation.log(low) : low
            let to = log ? Foundation.log(high) : high
            return Self.spaced(count: floatPoints, from: from, to: to).map { value(fromInternal: $0) }
        }
    }

    private static func spaced(count: Int, from: Double, to: Double) -> [Double] {
        guard count > 1 else { return [(from + to) / 2] }
        return (0..<count).map { from + (to - from) * Double($0) / Double(count - 1) }
    }
}

import Foundation

/// The values one hyperparameter may take.
public enum Distribution: Sendable, Hashable, Codable {
    /// A real number in `low...high`; `log` samples uniformly in log space (needs `low > 0`);
    /// `step` restricts it to `low, low + step, ..., high`.
    case float(low: Double, high: Double, log: Bool = false, step: Double? = nil)
    /// An integer in `low...high` on a grid of `step`; `log` samples uniformly in log space
    /// (needs `low >= 1` and `step == 1`).
    case int(low: Int, high: Int, step: Int = 1, log: Bool = false)
    /// One of a list of values (strings, numbers or flags).
    case categorical([ParameterValue])
    /// Always the same value; recorded with the trial but never searched.
    case fixed(ParameterValue)

    /// The most values a stepped float or an int may hold (2^53: steps are counted in Double).
    public static let maximumValueCount: Double = 0x1p53

    /// Throws `TuningError.invalidSpace` naming `parameter` when the distribution cannot be sampled.
    public func validate(parameter: String) throws {
        func fail(_ reason: String) -> TuningError { .invalidSpace(parameter: parameter, reason: reason) }
        switch self {
        case let .float(low, high, log, step):
            guard low.isFinite, high.isFinite else { throw fail("bounds must be finite numbers") }
            guard low < high else { throw fail("low (\(low)) must be below high (\(high))") }
            if log, low <= 0 { throw fail("a log-scaled float needs low > 0 (got \(low))") }
            if let step {
                guard step > 0, step.isFinite else { throw fail("step must be positive (got \(step))") }
                guard !log else { throw fail("a float cannot be both log-scaled and stepped") }
                let count = (high - low) / step
                guard count <= Self.maximumValueCount else {
                    throw fail("step \(step) cuts \(low)...\(high) into more than 2^53 values")
                }
                guard abs(count - count.rounded()) < 1e-9 * max(1, count) else {
                    throw fail("high - low (\(high - low)) is not a multiple of step \(step)")
                }
            }
        case let .int(low, high, step, log):
            guard low < high else { throw fail("low (\(low)) must be below high (\(high))") }
            guard step >= 1 else { throw fail("step must be at least 1 (got \(step))") }
            // The samplers count steps in Double, which is exact up to 2^53.
            let (span, overflow) = high.subtractingReportingOverflow(low)
            guard !overflow, Double(span / step) < Self.maximumValueCount else {
                throw fail("\(low)...\(high) holds more than 2^53 values")
            }
            guard span % step == 0 else {
                throw fail("high - low (\(span)) is not a multiple of step \(step)")
            }
            if log {
                guard low >= 1 else { throw fail("a log-scaled int needs low >= 1 (got \(low))") }
                guard step == 1 else { throw fail("a log-scaled int cannot have a step") }
            }
        case let .categorical(choices):
            guard !choices.isEmpty else { throw fail("a categorical needs at least one choice") }
            for (index, choice) in choices.enumerated() {
                if case let .double(value) = choice, !value.isFinite {
                    throw fail("choice \(index) is not a finite number")
                }
                if choices[..<index].contains(where: { $0.matches(choice) }) {
                    throw fail("choice '\(choice)' appears twice")
                }
            }
        case let .fixed(value):
            if case let .double(number) = value, !number.isFinite {
                throw fail("a fixed value must be a finite number")
            }
        }
    }

    /// Whether `value` is one the distribution can produce.
    public func contains(_ value: ParameterValue) -> Bool {
        switch self {
        case .float:
            guard let number = value.doubleValue, let internalValue = internalValue(of: value) else {
                return false
            }
            return self.value(fromInternal: internalValue).doubleValue.map {
                abs($0 - number) <= 1e-9 * max(1, abs(number))
            } ?? false
        case let .int(low, high, step, _):
            guard let number = value.intValue else { return false }
            return number >= low && number <= high && (number - low) % step == 0
        case let .categorical(choices):
            return choices.contains { $0.matches(value) }
        case let .fixed(fixed):
            return fixed.matches(value)
        }
    }

    /// The same value in the type the distribution produces (`64.0` becomes `.int(64)` for an int,
    /// a categorical's own spelling of the choice).
    func canonical(_ value: ParameterValue) -> ParameterValue {
        switch self {
        case .float: return value.doubleValue.map(ParameterValue.double) ?? value
        case .int: return value.intValue.map(ParameterValue.int) ?? value
        case let .categorical(choices): return choices.first { $0.matches(value) } ?? value
        case let .fixed(fixed): return fixed
        }
    }
}

/// One hyperparameter value: a number, a string or a flag.
///
/// Integers and floats stay distinct so that `batch_size: 64` reaches the objective as an `Int`.
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
    case double(Double)
    case int(Int)
    case string(String)
    case bool(Bool)

    /// The value as a `Double` when it is numeric (an `Int` converts), else `nil`.
    public var doubleValue: Double? {
        switch self {
        case let .double(value): return value
        case let .int(value): return Double(value)
        case .string, .bool: return nil
        }
    }

    /// The value as an `Int` when it is an integer, or a float with no fractional part.
    public var intValue: Int? {
        switch self {
        case let .int(value): return value
        case let .double(value):
            guard value.isFinite, value.rounded() == value, abs(value) < 9e15 else { return nil }
            return Int(value)
        case .string, .bool: return nil
        }
    }

    /// The value as a `String` when it is one.
    public var stringValue: String? {
        if case let .string(value) = self { return value }
        return nil
    }

    /// The value as a `Bool` when it is one.
    public var boolValue: Bool? {
        if case let .bool(value) = self { return value }
        return nil
    }

    /// The value as written in a study file, a command line or a report.
    public var description: String {
        switch self {
        case let .double(value): return "\(value)"
        case let .int(value): return String(value)
        case let .string(value): return value
        case let .bool(value): return value ? "true" : "false"
        }
    }

    /// Whether two values mean the same choice: `64` and `64.0` do, `"64"` and `64` do not.
    public func matches(_ other: ParameterValue) -> Bool {
        switch (self, other) {
        case (.string, _), (_, .string), (.bool, _), (_, .bool):
            return self == other
        default:
            return doubleValue == other.doubleValue
        }
    }
}

extension ParameterValue: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral
{
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

/// Stored as a one-key object (`{"float": 0.1}`, `{"int": 64}`, `{"string": "adam"}`,
/// `{"bool": true}`) so that `64` and `64.0` read back as the type they were written with.
extension ParameterValue: Codable {
    private enum Key: String, CodingKey {
        case float, int, string, bool
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let value = try container.decodeIfPresent(Double.self, forKey: .float) {
            self = .double(value)
        } else if let value = try container.decodeIfPresent(Int.self, forKey: .int) {
            self = .int(value)
        } else if let value = try container.decodeIfPresent(String.self, forKey: .string) {
            self = .string(value)
        } else if let value = try container.decodeIfPresent(Bool.self, forKey: .bool) {
            self = .bool(value)
        } else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath,
                      debugDescription: "a parameter value needs one of the keys float, int, string, bool"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case let .double(value): try container.encode(value, forKey: .float)
        case let .int(value): try container.encode(value, forKey: .int)
        case let .string(value): try container.encode(value, forKey: .string)
        case let .bool(value): try container.encode(value, forKey: .bool)
        }
    }
}

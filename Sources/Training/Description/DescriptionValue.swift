/// A value that overrides part of a training description: a hyperparameter chosen by a tuner
/// or given on the command line (`--set learning_rate=0.01`).
public enum DescriptionValue: Sendable, Hashable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)

    /// Reads text as a YAML file's plain scalars read: an integer, a number, a flag (`true`,
    /// `yes`, `on`, `false`, `no`, `off`, in any case), else a string.
    public init(parsing text: String) {
        if let value = Int(text) {
            self = .int(value)
        } else if let value = Double(text) {
            self = .double(value)
        } else if let value = Self.flags[text.lowercased()] {
            self = .bool(value)
        } else {
            self = .string(text)
        }
    }

    private static let flags = ["true": true, "yes": true, "on": true, "false": false, "no": false, "off": false]

    public var description: String {
        switch self {
        case let .int(value): String(value)
        case let .double(value): "\(value)"
        case let .string(value): value
        case let .bool(value): value ? "true" : "false"
        }
    }
}

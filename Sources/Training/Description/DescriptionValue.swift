/// A value that overrides part of a training description: a hyperparameter chosen by a tuner
/// or given on the command line (`--set learning_rate=0.01`).
public enum DescriptionValue: Sendable, Hashable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)

    /// Reads command-line text: an integer, a number, `true`/`false`, else a string.
    public init(parsing text: String) {
        if let value = Int(text) {
            self = .int(value)
        } else if let value = Double(text) {
            self = .double(value)
        } else if ["true", "false"].contains(text.lowercased()) {
            self = .bool(text.lowercased() == "true")
        } else {
            self = .string(text)
        }
    }

    public var description: String {
        switch self {
        case let .int(value): String(value)
        case let .double(value): "\(value)"
        case let .string(value): value
        case let .bool(value): value ? "true" : "false"
        }
    }
}

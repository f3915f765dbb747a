/// Failures of data loading and preparation, metrics, and the files training reads and writes. Messages name the file, line and column,
/// or the operation, and what was wrong.
public enum DataError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A file that could not be opened or read.
    case unreadable(file: String, reason: String)
    /// A file that could not be written.
    case unwritable(file: String, reason: String)
    /// A file whose content is wrong at a place: `line` and `column` are 1-based when known.
    case malformed(file: String, line: Int?, column: String?, detail: String)
    /// A bundled data set file that is in none of the searched folders.
    case resourceMissing(name: String, searched: [String])
    /// An argument that does not fit the operation.
    case invalidArgument(op: String, detail: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "cannot read \(file): \(reason)"
        case let .unwritable(file, reason):
            return "cannot write \(file): \(reason)"
        case let .malformed(file, line, column, detail):
            var place = file
            if let line { place += ", line \(line)" }
            if let column { place += ", column \(column)" }
            return "\(place): \(detail)"
        case let .resourceMissing(name, searched):
            return "bundled data file '\(name)' not found; looked in: \(searched.joined(separator: ", ")) (set SWIFTTUNE_DATA to the folder that holds it)"
        case let .invalidArgument(op, detail):
            return "\(op): \(detail)"
        }
    }
}

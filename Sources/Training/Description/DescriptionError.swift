/// A YAML file (a training description or a study file), or overrides of a description, that
/// cannot be used: names the file, the line and column, and the key path.
public struct DescriptionError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file (or `<string>`, `<overrides>`).
    public let file: String
    /// 1-based line and column, when known.
    public let line: Int?
    public let column: Int?
    /// The key path, e.g. `training.optimizer.learning_rate`, `model[2].dense.units` or
    /// `space.lr.low`; empty for errors of the file as a whole (its syntax, its size).
    public let key: String
    /// What is wrong.
    public let detail: String

    public init(file: String, line: Int?, column: Int?, key: String, detail: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.detail = detail
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return key.isEmpty ? "\(place): \(detail)" : "\(place): \(key): \(detail)"
    }
}

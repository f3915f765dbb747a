/// A node of a description with its key path and file, and typed readers that throw a
/// `DescriptionError` naming the key and line when the value does not fit.
struct DescriptionNode {
    let tree: DescriptionTree
    let path: String
    let file: String
    /// The nearest known position (a substituted value has none of its own).
    let mark: DescriptionMark?

    init(_ tree: DescriptionTree, path: String, file: String, fallbackMark: DescriptionMark? = nil) {
        self.tree = tree
        self.path = path
        self.file = file
        mark = tree.mark ?? fallbackMark
    }

    /// An error at this node.
    func error(_ detail: String) -> DescriptionError {
        DescriptionError(file: file, line: mark?.line, column: mark?.column, key: path, detail: detail)
    }

    /// The child at `key` of a mapping (nil when absent).
    func child(_ key: String) -> DescriptionNode? {
        guard case let .mapping(pairs, _) = tree, let pair = pairs.first(where: { $0.key == key }) else { return nil }
        return DescriptionNode(pair.value, path: path.isEmpty ? key : "\(path).\(key)", file: file, fallbackMark: mark)
    }

    /// The mapping's fields, refusing keys outside `allowed`.
    func fields(_ allowed: [String]) throws -> DescriptionFields {
        guard case let .mapping(pairs, _) = tree else { throw error("expected a mapping with keys \(allowed.joined(separator: ", "))") }
        if let unknown = pairs.first(where: { !allowed.contains($0.key) }) {
            let node = child(unknown.key) ?? self
            throw node.error("unknown key; expected one of \(allowed.joined(separator: ", "))")
        }
        return DescriptionFields(node: self)
    }

    /// The items of a sequence.
    func items() throws -> [DescriptionNode] {
        guard case let .sequence(items, _) = tree else { throw error("expected a list") }
        return items.enumerated().map { DescriptionNode($1, path: "\(path)[\($0)]", file: file, fallbackMark: mark) }
    }

    /// Whether the node is a mapping.
    var isMapping: Bool {
        if case .mapping = tree { return true }
        return false
    }

    /// The text of a scalar.
    func text() throws -> String {
        guard case let .scalar(text, _, _) = tree else { throw error("expected a single value, found a \(isMapping ? "mapping" : "list")") }
        return text
    }

    /// A plain scalar that is not quoted (numbers and flags).
    private func unquoted(_ kind: String) throws -> String {
        guard case let .scalar(text, quoted, _) = tree, !quoted else { throw error("expected \(kind)") }
        return text
    }

    func string() throws -> String { try text() }

    func int(min: Int? = nil, max: Int? = nil) throws -> Int {
        let text = try unquoted("an integer")
        guard let value = Int(text) else { throw error("expected an integer, found '\(text)'") }
        if let min, value < min { throw error("\(value) is less than \(min)") }
        if let max, value > max { throw error("\(value) is more than \(max)") }
        return value
    }

    /// A finite number within the bounds given.
    func double(above: Double? = nil, atLeast: Double? = nil, below: Double? = nil, atMost: Double? = nil) throws -> Double {
        let text = try unquoted("a number")
        guard let value = Double(text), value.isFinite else { throw error("expected a number, found '\(text)'") }
        if let above, value <= above { throw error("\(value) must be more than \(above)") }
        if let atLeast, value < atLeast { throw error("\(value) must be at least \(atLeast)") }
        if let below, value >= below { throw error("\(value) must be less than \(below)") }
        if let atMost, value > atMost { throw error("\(value) must be at most \(atMost)") }
        return value
    }

    func float(above: Double? = nil, atLeast: Double? = nil, below: Double? = nil, atMost: Double? = nil) throws -> Float {
        Float(try double(above: above, atLeast: atLeast, below: below, atMost: atMost))
    }

    func bool() throws -> Bool {
        let text = try unquoted("true or false")
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, found '\(text)'")
        }
    }

    /// One of `choices` (case-sensitive).
    func choice(_ choices: [String]) throws -> String {
        let value = try text()
        guard choices.contains(value) else { throw error("'\(value)' is not one of \(choices.joined(separator: ", "))") }
        return value
    }

    /// A list of positive integers, e.g. an image shape.
    func positiveInts() throws -> [Int] {
        try items().map { try $0.int(min: 1) }
    }
}

/// The fields of a mapping node.
struct DescriptionFields {
    let node: DescriptionNode

    subscript(key: String) -> DescriptionNode? { node.child(key) }

    /// The field, or an error naming the missing key at the mapping's line.
    func required(_ key: String) throws -> DescriptionNode {
        guard let child = node.child(key) else {
            throw node.error("missing the key '\(key)'")
        }
        return child
    }
}

/// A value of a YAML file (a training description or a study file) with its key path, and
/// typed readers that throw a `DescriptionError` naming the file, the key path and the line when
/// the value does not fit. Both file kinds read through it, so the same mistake gets the same
/// message.
package struct YAMLValue {
    package let tree: YAMLTree
    /// The key path from the document's root, e.g. `training.optimizer.learning_rate`,
    /// `model[2].dense.units` or `space.lr.low`; empty for the root.
    package let path: String
    package let file: String
    /// The nearest known position (a value substituted by an override has none of its own).
    package let mark: YAMLMark?

    package init(_ tree: YAMLTree, path: String, file: String, fallbackMark: YAMLMark? = nil) {
        self.tree = tree
        self.path = path
        self.file = file
        mark = tree.mark ?? fallbackMark
    }

    /// The document of a YAML text, within `YAMLLimits`.
    package init(parsing yaml: String, file: String) throws {
        self.init(try YAMLTree.parse(yaml: yaml, file: file), path: "", file: file)
    }

    /// An error at this value.
    package func error(_ detail: String) -> DescriptionError {
        DescriptionError(file: file, line: mark?.line, column: mark?.column, key: path, detail: detail)
    }

    /// The value at `key` of a mapping (nil when absent or not a mapping).
    package func child(_ key: String) -> YAMLValue? {
        guard case let .mapping(entries, _) = tree, let entry = entries.first(where: { $0.key == key }) else { return nil }
        return YAMLValue(entry.value, path: childPath(key), file: file, fallbackMark: mark)
    }

    private func childPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// The mapping's entries in file order; with `allowedKeys`, a key outside them is an error at
    /// that key.
    package func mapping(allowedKeys: [String]? = nil) throws -> YAMLMapping {
        guard case let .mapping(entries, _) = tree else {
            let keys = allowedKeys.map { " with the keys \($0.joined(separator: ", "))" } ?? ""
            throw error("expected a mapping\(keys), found \(tree.kindDescription)")
        }
        if let allowedKeys, let unknown = entries.first(where: { !allowedKeys.contains($0.key) }) {
            let place = unknown.keyMark ?? unknown.value.mark ?? mark
            throw DescriptionError(
                file: file, line: place?.line, column: place?.column, key: childPath(unknown.key),
                detail: "unknown key; expected one of \(allowedKeys.joined(separator: ", "))")
        }
        return YAMLMapping(
            owner: self, entries: entries.map { ($0.key, YAMLValue($0.value, path: childPath($0.key), file: file, fallbackMark: mark)) })
    }

    /// The items of a list.
    package func sequence() throws -> [YAMLValue] {
        guard case let .sequence(items, _) = tree else { throw error("expected a list, found \(tree.kindDescription)") }
        return items.enumerated().map { YAMLValue($1, path: "\(path)[\($0)]", file: file, fallbackMark: mark) }
    }

    /// The items of a list, or a single value as a list of one.
    package func sequenceOrSingle() -> [YAMLValue] {
        (try? sequence()) ?? [self]
    }

    /// Whether the value is a scalar (not a list or a mapping).
    package var isScalar: Bool {
        if case .scalar = tree { return true }
        return false
    }

    /// The text of a scalar.
    package func string() throws -> String {
        guard case let .scalar(text, _, _) = tree else { throw error("expected a single value, found \(tree.kindDescription)") }
        return text
    }

    /// One of `choices` (case-sensitive).
    package func choice(_ choices: [String]) throws -> String {
        let value = try string()
        guard choices.contains(value) else { throw error("'\(value)' is not one of \(choices.joined(separator: ", "))") }
        return value
    }

    /// The case of `Choice` whose raw value the scalar is.
    package func choice<Choice: RawRepresentable & CaseIterable>(_: Choice.Type) throws -> Choice where Choice.RawValue == String {
        let value = try string()
        guard let choice = Choice(rawValue: value) else {
            throw error("'\(value)' is not one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return choice
    }

    /// The text of a plain (unquoted) scalar: numbers and flags are never quoted.
    private func plain(_ expected: String) throws -> String {
        guard case let .scalar(text, false, _) = tree else { throw error("expected \(expected), found \(tree.kindDescription)") }
        return text
    }

    /// An integer within the bounds given.
    package func int(min: Int? = nil, max: Int? = nil) throws -> Int {
        let text = try plain("an integer")
        guard let value = Int(text) else { throw error("expected an integer, found '\(text)'") }
        if let min, value < min { throw error("\(value) must be at least \(min)") }
        if let max, value > max { throw error("\(value) must be at most \(max)") }
        return value
    }

    /// A finite number within the bounds given.
    package func double(above: Double? = nil, atLeast: Double? = nil, below: Double? = nil, atMost: Double? = nil) throws -> Double {
        let text = try plain("a number")
        guard let value = Double(text) else { throw error("expected a number, found '\(text)'") }
        guard value.isFinite else { throw error("expected a finite number, found '\(text)'") }
        if let above, value <= above { throw error("\(value) must be more than \(above)") }
        if let atLeast, value < atLeast { throw error("\(value) must be at least \(atLeast)") }
        if let below, value >= below { throw error("\(value) must be less than \(below)") }
        if let atMost, value > atMost { throw error("\(value) must be at most \(atMost)") }
        return value
    }

    /// `double` as a `Float`.
    package func float(above: Double? = nil, atLeast: Double? = nil, below: Double? = nil, atMost: Double? = nil) throws -> Float {
        Float(try double(above: above, atLeast: atLeast, below: below, atMost: atMost))
    }

    /// `true`/`false` (also `yes`/`no`, `on`/`off`, in any case).
    package func bool() throws -> Bool {
        let text = try plain("true or false")
        guard case let .bool(value) = DescriptionValue(parsing: text) else { throw error("expected true or false, found '\(text)'") }
        return value
    }

    /// A scalar as what it reads as: quoted text stays text; a plain scalar is an integer, a
    /// finite number or a flag when it reads as one, else text.
    package func scalar() throws -> DescriptionValue {
        guard case let .scalar(text, quoted, _) = tree else { throw error("expected a single value, found \(tree.kindDescription)") }
        if quoted { return .string(text) }
        let value = DescriptionValue(parsing: text)
        if case let .double(number) = value, !number.isFinite { throw error("expected a finite number, found '\(text)'") }
        return value
    }
}

/// The entries of a YAML mapping in file order, with optional and required lookups.
package struct YAMLMapping {
    /// The mapping itself (where a missing key is reported).
    package let owner: YAMLValue
    package let entries: [(key: String, value: YAMLValue)]

    package subscript(key: String) -> YAMLValue? {
        entries.first { $0.key == key }?.value
    }

    /// The value at `key`, or an error naming the missing key at the mapping's line.
    package func required(_ key: String) throws -> YAMLValue {
        guard let value = self[key] else { throw owner.error("missing the key '\(key)'") }
        return value
    }
}

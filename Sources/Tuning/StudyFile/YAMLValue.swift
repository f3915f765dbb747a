import Yams

/// A YAML node together with its dotted key path, so every read error names the key and line.
struct YAMLValue {
    let node: Node
    /// Dotted path from the document root, such as `space.lr.low` or `enqueue[2].x`.
    let path: String

    /// The 1-based line the node starts on.
    var line: Int? { node.mark?.line }

    func error(_ reason: String) -> TuningError {
        .studyFile(key: path.isEmpty ? "(document)" : path, line: line, reason: reason)
    }

    func mapping(allowedKeys: Set<String>? = nil) throws -> YAMLMapping {
        guard case let .mapping(mapping) = node else { throw error("expected a mapping (key: value lines)") }
        var entries: [(key: String, value: YAMLValue)] = []
        for (keyNode, valueNode) in mapping {
            let keyPath = path.isEmpty ? (keyNode.string ?? "?") : "\(path).\(keyNode.string ?? "?")"
            guard let key = keyNode.string, keyNode.scalar != nil else {
                throw TuningError.studyFile(key: keyPath, line: keyNode.mark?.line, reason: "keys must be plain text")
            }
            if entries.contains(where: { $0.key == key }) {
                throw TuningError.studyFile(key: keyPath, line: keyNode.mark?.line, reason: "key given twice")
            }
            if let allowedKeys, !allowedKeys.contains(key) {
                let known = allowedKeys.sorted().joined(separator: ", ")
                throw TuningError.studyFile(key: keyPath, line: keyNode.mark?.line, reason: "unknown key (known: \(known))")
            }
            entries.append((key, YAMLValue(node: valueNode, path: keyPath)))
        }
        return YAMLMapping(owner: self, entries: entries)
    }

    func sequence() throws -> [YAMLValue] {
        guard case let .sequence(sequence) = node else { throw error("expected a list") }
        return sequence.enumerated().map { YAMLValue(node: $1, path: "\(path)[\($0)]") }
    }

    /// A list, or a single value read as a one-element list.
    func sequenceOrSingle() -> [YAMLValue] {
        if case let .sequence(sequence) = node {
            return sequence.enumerated().map { YAMLValue(node: $1, path: "\(path)[\($0)]") }
        }
        return [self]
    }

    func string() throws -> String {
        guard let scalar = node.scalar else { throw error("expected text") }
        return scalar.string
    }

    func double() throws -> Double {
        guard let scalar = node.scalar, let value = node.float ?? Double(scalar.string), value.isFinite else {
            throw error("expected a finite number")
        }
        return value
    }

    func int() throws -> Int {
        guard node.scalar != nil, let value = node.int else { throw error("expected an integer") }
        return value
    }

    func bool() throws -> Bool {
        guard node.scalar != nil, let value = node.bool else { throw error("expected true or false") }
        return value
    }

    /// A scalar as a parameter value: quoted text stays text; plain scalars become an integer, a
    /// number (`1e-5` included) or a flag when they read as one.
    func parameterValue() throws -> ParameterValue {
        guard let scalar = node.scalar else { throw error("expected a single value, not a list or mapping") }
        switch scalar.style {
        case .singleQuoted, .doubleQuoted, .literal, .folded:
            return .string(scalar.string)
        default:
            break
        }
        if let value = node.int { return .int(value) }
        if let value = node.float ?? Double(scalar.string) {
            guard value.isFinite else { throw error("expected a finite number") }
            return .double(value)
        }
        if let value = node.bool { return .bool(value) }
        return .string(scalar.string)
    }
}

/// The entries of a YAML mapping in file order, with required and optional lookups.
struct YAMLMapping {
    let owner: YAMLValue
    let entries: [(key: String, value: YAMLValue)]

    subscript(key: String) -> YAMLValue? {
        entries.first { $0.key == key }?.value
    }

    func required(_ key: String) throws -> YAMLValue {
        guard let value = self[key] else { throw owner.error("missing key '\(key)'") }
        return value
    }
}

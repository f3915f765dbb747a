import Yams

/// A position in a YAML file (1-based).
package struct YAMLMark: Sendable, Equatable {
    package let line: Int
    package let column: Int

    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// A YAML document as SwiftTune's readers see it: scalars (with whether they were quoted),
/// mappings with plain keys in file order, sequences; every node with its position.
package indirect enum YAMLTree: Sendable {
    case scalar(String, quoted: Bool, YAMLMark?)
    case mapping([Entry], YAMLMark?)
    case sequence([YAMLTree], YAMLMark?)

    /// One key of a mapping, where the key was written, and its value.
    package struct Entry: Sendable {
        package var key: String
        package var keyMark: YAMLMark?
        package var value: YAMLTree

        package init(key: String, keyMark: YAMLMark?, value: YAMLTree) {
            self.key = key
            self.keyMark = keyMark
            self.value = value
        }
    }

    /// The node's position in the file.
    package var mark: YAMLMark? {
        switch self {
        case let .scalar(_, _, mark), let .mapping(_, mark), let .sequence(_, mark): mark
        }
    }

    /// What the node is, for messages: `a mapping`, `a list`, `'text'`, or `the text "5"` for a
    /// quoted scalar.
    package var kindDescription: String {
        switch self {
        case let .scalar(text, quoted, _): quoted ? "the text \"\(text)\"" : "'\(text)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    /// Parses YAML text within `YAMLLimits`; errors name `file` and, where there is one, the line
    /// and column.
    package static func parse(yaml: String, file: String) throws -> YAMLTree {
        try YAMLLimits.check(yaml, file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw Self.describe(error, file: file)
        }
        guard let root else {
            throw DescriptionError(file: file, line: nil, column: nil, key: "", detail: "the file is empty")
        }
        return try YAMLTree(root, file: file, path: "")
    }

    private init(_ node: Node, file: String, path: String) throws {
        let mark = node.mark.map(YAMLMark.init)
        switch node {
        case let .scalar(scalar):
            self = .scalar(scalar.string, quoted: scalar.style != .plain && scalar.style != .any, mark)
        case let .mapping(mapping):
            var entries: [Entry] = []
            for (key, value) in mapping {
                let keyMark = key.mark.map(YAMLMark.init)
                guard case let .scalar(keyScalar) = key else {
                    throw DescriptionError(
                        file: file, line: keyMark?.line, column: keyMark?.column, key: path, detail: "mapping keys must be plain names")
                }
                let name = keyScalar.string
                let childPath = path.isEmpty ? name : "\(path).\(name)"
                if entries.contains(where: { $0.key == name }) {
                    throw DescriptionError(
                        file: file, line: keyMark?.line, column: keyMark?.column, key: childPath, detail: "the key appears twice")
                }
                entries.append(Entry(key: name, keyMark: keyMark, value: try YAMLTree(value, file: file, path: childPath)))
            }
            self = .mapping(entries, mark)
        case let .sequence(sequence):
            self = .sequence(try sequence.enumerated().map { try YAMLTree($1, file: file, path: "\(path)[\($0)]") }, mark)
        case .alias:
            // Yams's composer replaces aliases by their nodes; this is here for completeness.
            throw DescriptionError(file: file, line: mark?.line, column: mark?.column, key: path, detail: "an unresolved YAML alias")
        }
    }

    private static func describe(_ error: YamlError, file: String) -> DescriptionError {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return DescriptionError(file: file, line: mark.line, column: mark.column, key: "", detail: "YAML syntax: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return DescriptionError(
                file: file, line: context.mark.line, column: context.mark.column, key: duplicates.joined(separator: ", "),
                detail: "the key appears twice")
        default:
            return DescriptionError(file: file, line: nil, column: nil, key: "", detail: "YAML: \(error)")
        }
    }
}

extension YAMLMark {
    init(_ mark: Mark) {
        self.init(line: mark.line, column: mark.column)
    }
}

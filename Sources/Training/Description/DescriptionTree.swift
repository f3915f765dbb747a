import Yams

/// A position in a description file.
struct DescriptionMark: Sendable, Equatable {
    let line: Int
    let column: Int
}

/// A YAML document as the description reader sees it: scalars (with whether they were quoted),
/// mappings with string keys in file order, sequences; every node with its position.
indirect enum DescriptionTree: Sendable {
    case scalar(String, quoted: Bool, DescriptionMark?)
    case mapping([(key: String, value: DescriptionTree)], DescriptionMark?)
    case sequence([DescriptionTree], DescriptionMark?)

    /// The node's position in the file.
    var mark: DescriptionMark? {
        switch self {
        case let .scalar(_, _, mark), let .mapping(_, mark), let .sequence(_, mark): mark
        }
    }

    /// Parses YAML text; syntax errors name the line and column.
    static func parse(yaml: String, file: String) throws -> DescriptionTree {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw Self.describe(error, file: file)
        }
        guard let root else {
            throw DescriptionError(file: file, line: nil, column: nil, key: "", detail: "the description is empty")
        }
        return try DescriptionTree(root, file: file, path: "")
    }

    private init(_ node: Node, file: String, path: String) throws {
        let mark = node.mark.map { DescriptionMark(line: $0.line, column: $0.column) }
        switch node {
        case let .scalar(scalar):
            self = .scalar(scalar.string, quoted: scalar.style != .plain && scalar.style != .any, mark)
        case let .mapping(mapping):
            var pairs: [(key: String, value: DescriptionTree)] = []
            for (key, value) in mapping {
                guard case let .scalar(keyScalar) = key else {
                    throw DescriptionError(
                        file: file, line: mark?.line, column: mark?.column, key: path, detail: "mapping keys must be plain names")
                }
                let name = keyScalar.string
                let childPath = path.isEmpty ? name : "\(path).\(name)"
                if pairs.contains(where: { $0.key == name }) {
                    let keyMark = keyScalar.mark
                    throw DescriptionError(
                        file: file, line: keyMark?.line, column: keyMark?.column, key: childPath, detail: "the key appears twice")
                }
                pairs.append((name, try DescriptionTree(value, file: file, path: childPath)))
            }
            self = .mapping(pairs, mark)
        case let .sequence(sequence):
            self = .sequence(
                try sequence.enumerated().map { try DescriptionTree($1, file: file, path: "\(path)[\($0)]") }, mark)
        case .alias:
            throw DescriptionError(
                file: file, line: mark?.line, column: mark?.column, key: path, detail: "YAML aliases are not supported here")
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

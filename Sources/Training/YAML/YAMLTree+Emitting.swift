import Yams

extension YAMLTree {
    /// The tree as YAML text that reads back to the same tree (positions aside): plain scalars
    /// stay plain where YAML allows, quoted ones are written double-quoted, mappings keep their
    /// key order.
    package func yaml() throws -> String {
        try Yams.serialize(node: node)
    }

    private var node: Node {
        switch self {
        case let .scalar(text, quoted, _):
            return .scalar(Node.Scalar(text, .implicit, quoted ? .doubleQuoted : .plain))
        case let .mapping(entries, _):
            return .mapping(Node.Mapping(entries.map { (Node.scalar(Node.Scalar($0.key, .implicit, .plain)), $0.value.node) }))
        case let .sequence(items, _):
            return .sequence(Node.Sequence(items.map(\.node)))
        }
    }
}

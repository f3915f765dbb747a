/// The described model: a straight list of layers, or a graph of named nodes.
public enum ModelDescription: Sendable, Equatable {
    /// `model: [layer, layer, ...]`.
    case sequence([LayerDescription])
    /// `model: {graph: [node, node, ...]}`, blocks already repeated out.
    case graph([GraphNodeDescription])
}

extension ModelDescription {
    /// The layers in order: the list's, or those of the graph's layer nodes.
    public var layers: [LayerDescription] {
        switch self {
        case let .sequence(layers): layers
        case let .graph(nodes):
            nodes.compactMap { node in
                if case let .layer(layer) = node.operation { return layer }
                return nil
            }
        }
    }
}

/// One node of a described graph, after its block (if any) was repeated out.
public struct GraphNodeDescription: Sendable, Equatable {
    /// What the node computes.
    public enum Operation: Sendable, Equatable {
        case layer(LayerDescription)
        case add
        case concat
    }

    /// The node's name: its own, or `<block><repetition>_<own>` inside a block (`res2_conv_a`).
    public let name: String
    public let operation: Operation
    /// The names of its inputs (`input` is the model's input).
    public let inputs: [String]
}

/// Reads `model: {graph: [...]}`.
///
/// Each entry of the list is `name: spec`. A spec is a layer as in the list form (`dense: 10`,
/// `{conv2d: {...}}`, `flatten`), optionally with `input: other` (by default a node reads the
/// node before it), and for attention and sequence pooling `mask: other` (a padding mask);
/// `{add: [a, b]}` or `{concat: [a, b]}`; or a block `{repeat: N, nodes: [...]}`
/// whose nodes run N times in a row, each repetition reading the one before (`input` inside a
/// block is what the repetition reads). After a block, its name refers to its last node.
struct GraphDescriptionReader {
    private(set) var nodes: [GraphNodeDescription] = []
    private(set) var sites: [DescriptionSite] = []

    /// The nodes of `list` (the value of `graph`).
    static func read(_ list: YAMLValue) throws -> (nodes: [GraphNodeDescription], sites: [DescriptionSite]) {
        var reader = GraphDescriptionReader()
        let entries = try list.sequence()
        guard !entries.isEmpty else { throw list.error("the graph needs at least one node") }
        _ = try reader.readList(entries, prefix: "", scope: ["input": "input"], input: "input")
        return (reader.nodes, reader.sites)
    }

    /// Reads the entries of one list, whose first node reads `input` by default; `scope` maps the
    /// names visible from the list to node names. Returns the last node's name.
    private mutating func readList(
        _ entries: [YAMLValue], prefix: String, scope outer: [String: String], input: String
    ) throws -> String {
        var scope = outer
        scope["input"] = input
        var local: Set<String> = []
        var previous = input
        for entry in entries {
            let fields = try entry.mapping()
            guard fields.entries.count == 1, let (name, spec) = fields.entries.first else {
                throw entry.error("expected one node: `name: layer`, `name: {add: [a, b]}` or `name: {repeat: 2, nodes: [...]}`")
            }
            guard Self.isValidName(name), name != "input", local.insert(name).inserted else {
                throw spec.error("'\(name)' cannot name a node: names are letters, digits and _, unique in their list, and not 'input'")
            }
            previous = try readNode(name, spec, prefix: prefix, scope: scope, previous: previous)
            scope[name] = previous
        }
        return previous
    }

    /// Reads one node (or block) and returns the name its value goes by.
    private mutating func readNode(
        _ name: String, _ spec: YAMLValue, prefix: String, scope: [String: String], previous: String
    ) throws -> String {
        if spec.isScalar {
            return try append(prefix + name, .layer(LayerDescription.parse(spec)), inputs: [previous], at: spec)
        }
        let fields = try spec.mapping()
        let keys = Set(fields.entries.map(\.key))
        if keys.contains("repeat") || keys.contains("nodes") {
            let block = try spec.mapping(allowedKeys: ["repeat", "nodes", "input"])
            let count = try block.required("repeat").int(min: 1, max: 1000)
            let body = try block.required("nodes").sequence()
            guard !body.isEmpty else { throw try block.required("nodes").error("a block needs at least one node") }
            var last = try block["input"].map { try Self.resolve($0, in: scope) } ?? previous
            for repetition in 1...count {
                last = try readList(body, prefix: "\(prefix)\(name)\(repetition)_", scope: scope, input: last)
            }
            return last
        }
        for join in ["add", "concat"] where keys.contains(join) {
            let joined = try spec.mapping(allowedKeys: [join]).required(join)
            let inputs = try joined.sequence().map { try Self.resolve($0, in: scope) }
            guard inputs.count >= 2 else { throw joined.error("\(join) needs two or more inputs") }
            return try append(prefix + name, join == "add" ? .add : .concat, inputs: inputs, at: spec)
        }
        // A layer, with the node it reads when that is not the one before, and a padding mask
        // for the layers that read one.
        let wiring: Set<String> = ["input", "mask"]
        let layerEntries = fields.entries.filter { !wiring.contains($0.key) }
        let source = try fields["input"].map { try Self.resolve($0, in: scope) } ?? previous
        guard layerEntries.count == 1, case let .mapping(entries, mark) = spec.tree else {
            throw spec.error("expected a layer (`dense: 10`, `conv2d: {...}`), add, concat, or a block (repeat, nodes), with an optional input")
        }
        let layerTree = YAMLTree.mapping(entries.filter { !wiring.contains($0.key) }, mark)
        let layer = try LayerDescription.parse(YAMLValue(layerTree, path: spec.path, file: spec.file, fallbackMark: spec.mark))
        guard let maskNode = fields["mask"] else { return try append(prefix + name, .layer(layer), inputs: [source], at: spec) }
        guard layer.readsMask else { throw maskNode.error("only attention and sequence_pool read a mask") }
        return try append(prefix + name, .layer(layer), inputs: [source, Self.resolve(maskNode, in: scope)], at: spec)
    }

    private mutating func append(
        _ name: String, _ operation: GraphNodeDescription.Operation, inputs: [String], at spec: YAMLValue
    ) throws -> String {
        nodes.append(GraphNodeDescription(name: name, operation: operation, inputs: inputs))
        sites.append(DescriptionSite(spec))
        return name
    }

    /// The node a name refers to.
    private static func resolve(_ reference: YAMLValue, in scope: [String: String]) throws -> String {
        let name = try reference.string()
        guard let node = scope[name] else {
            throw reference.error("no node '\(name)' comes before this one; known: \(scope.keys.sorted().joined(separator: ", "))")
        }
        return node
    }

    private static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && name.first?.isNumber == false
    }
}

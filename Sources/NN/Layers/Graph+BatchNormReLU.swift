extension Graph {
    /// The batch-norm nodes whose one reader is a ReLU activation node, with that node's name;
    /// a batch norm that is the graph's output, or that anything else reads, is left out.
    static func reluAfterBatchNorm(in nodes: [Node], output: String) -> [String: String] {
        var readers: [String: [Node]] = [:]
        for node in nodes {
            for input in Set(node.inputs) { readers[input, default: []].append(node) }
        }
        var pairs: [String: String] = [:]
        for node in nodes where node.name != output {
            guard case let .layer(layer) = node.operation, layer is BatchNorm,
                let only = readers[node.name], only.count == 1, only[0].inputs == [node.name],
                case let .layer(reader) = only[0].operation, let activation = reader as? Activation, activation.function == .relu
            else { continue }
            pairs[node.name] = only[0].name
        }
        return pairs
    }
}

import Backend

/// A model as named nodes, each computed from earlier nodes or the input: a layer, a residual
/// sum or a concatenation. A straight `Sequential` is the special case of one chain.
///
/// Nodes are listed in an order where every input comes first (the input is called `input`);
/// the last node, or the one named `output`, is the model's output.
public final class Graph: LayerContainer {
    public let kind = "graph"
    /// What a node computes from its inputs.
    public enum Operation {
        /// A layer of one input (a `MaskedLayer` may read a padding mask as a second input).
        case layer(any Layer)
        /// The elementwise sum of two or more inputs of one shape (a residual connection).
        case add
        /// The inputs joined along their first sample dimension (channels of images, features of
        /// vectors); the other dimensions must agree.
        case concat
    }

    /// One node: its name, what it computes and the names of its inputs.
    public struct Node {
        public let name: String
        public let operation: Operation
        public let inputs: [String]

        public init(_ name: String, _ operation: Operation, inputs: [String]) {
            self.name = name
            self.operation = operation
            self.inputs = inputs
        }
    }

    /// The name that refers to the model's input.
    public static let inputName = "input"

    /// The nodes in evaluation order.
    public let nodes: [Node]
    /// The node whose value is the model's output.
    public let output: String
    /// Batch-norm nodes read only by a ReLU node (and not the output), with that ReLU node's
    /// name: `forward` runs each pair as one fused op and computes no value for the batch norm.
    private let reluAfterBatchNorm: [String: String]
    /// The ReLU nodes of `reluAfterBatchNorm`, computed with their batch norm.
    private let fusedReLUs: Set<String>

    /// A graph of `nodes`; throws when a name repeats, an input is not an earlier node (or
    /// `input`), a node has the wrong number of inputs, or `output` names no node.
    public init(_ nodes: [Node], output: String? = nil) throws {
        var known: Set<String> = [Self.inputName]
        for node in nodes {
            guard !node.name.isEmpty, !node.name.contains("."), known.insert(node.name).inserted else {
                throw BackendError.invalidArgument(
                    op: "Graph", detail: "node name '\(node.name)' is empty, holds a dot, repeats, or is '\(Self.inputName)'")
            }
            if let unknown = node.inputs.first(where: { !known.contains($0) || $0 == node.name }) {
                throw BackendError.invalidArgument(
                    op: "Graph", detail: "node '\(node.name)' reads '\(unknown)', which is neither the input nor an earlier node")
            }
            switch node.operation {
            case let .layer(layer):
                // A masked layer may read a padding mask as its second input.
                guard node.inputs.count == 1 || (node.inputs.count == 2 && layer is any MaskedLayer) else {
                    throw BackendError.invalidArgument(
                        op: "Graph", detail: "layer node '\(node.name)' needs one input (a \(layer.kind) layer cannot read a mask), has \(node.inputs.count)")
                }
            case .add, .concat:
                guard node.inputs.count >= 2 else {
                    throw BackendError.invalidArgument(op: "Graph", detail: "node '\(node.name)' joins \(node.inputs.count) inputs; it needs two or more")
                }
            }
        }
        guard let last = nodes.last else { throw BackendError.invalidArgument(op: "Graph", detail: "a graph needs at least one node") }
        let chosen = output ?? last.name
        guard nodes.contains(where: { $0.name == chosen }) else {
            throw BackendError.invalidArgument(op: "Graph", detail: "the output '\(chosen)' is not a node")
        }
        self.nodes = nodes
        self.output = chosen
        reluAfterBatchNorm = Self.reluAfterBatchNorm(in: nodes, output: chosen)
        fusedReLUs = Set(reluAfterBatchNorm.values)
    }

    public var namedLayers: [(name: String, layer: any Layer)] {
        nodes.compactMap { node in
            if case let .layer(layer) = node.operation { return (node.name, layer) }
            return nil
        }
    }

    public var parameters: [Variable] { namedLayers.flatMap(\.layer.parameters) }
    public var buffers: [Variable] { namedLayers.flatMap(\.layer.buffers) }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let shapes = try nodeShapes(for: inputShape)
        return shapes[output] ?? inputShape
    }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        var values = [Self.inputName: input]
        for node in nodes {
            let inputs = node.inputs.compactMap { values[$0] }
            if let relu = reluAfterBatchNorm[node.name], case let .layer(layer) = node.operation, let norm = layer as? BatchNorm {
                values[relu] = try norm.forwardReLU(inputs[0], tape: tape)
                continue
            }
            if fusedReLUs.contains(node.name) { continue }
            switch node.operation {
            case let .layer(layer):
                if inputs.count == 2, let masked = layer as? any MaskedLayer {
                    values[node.name] = try masked.forward(inputs[0], mask: inputs[1], tape: tape)
                } else {
                    values[node.name] = try layer.forward(inputs[0], tape: tape)
                }
            case .add:
                values[node.name] = try inputs.dropFirst().reduce(inputs[0]) { try tape.add($0, $1) }
            case .concat:
                values[node.name] = try tape.concat(inputs, axis: 1)
            }
        }
        guard let result = values[output] else {
            throw BackendError.invalidArgument(op: "Graph", detail: "the output '\(output)' was not computed")
        }
        return result
    }

    /// The sample shape of every node (batch dimension excluded), checking that sums and
    /// concatenations fit.
    public func nodeShapes(for inputShape: [Int]) throws -> [String: [Int]] {
        var shapes = [Self.inputName: inputShape]
        for node in nodes {
            shapes[node.name] = try Self.outputShape(of: node, inputs: node.inputs.compactMap { shapes[$0] })
        }
        return shapes
    }

    /// The sample shape `node` gives for inputs of `inputs` (its inputs' shapes, in order),
    /// checking that sums and concatenations fit.
    public static func outputShape(of node: Node, inputs: [[Int]]) throws -> [Int] {
        guard let first = inputs.first else {
            throw BackendError.invalidArgument(op: "Graph", detail: "node '\(node.name)' has no input")
        }
        switch node.operation {
        case let .layer(layer):
            // A padding mask has one value per step of the sequence it masks.
            if inputs.count == 2, inputs[1] != Array(first.prefix(1)) {
                throw BackendError.shapeMismatch(
                    op: "Graph", detail: "node '\(node.name)' reads a mask of shape \(inputs[1]) for samples of \(first); it needs [steps]")
            }
            return try layer.outputShape(for: first)
        case .add:
            guard inputs.allSatisfy({ $0 == first }) else {
                throw BackendError.shapeMismatch(op: "Graph", detail: "node '\(node.name)' adds inputs of shapes \(inputs)")
            }
            return first
        case .concat:
            guard inputs.allSatisfy({ !$0.isEmpty && $0.dropFirst() == first.dropFirst() }) else {
                throw BackendError.shapeMismatch(
                    op: "Graph", detail: "node '\(node.name)' concatenates shapes \(inputs), which differ after the first dimension")
            }
            return [inputs.reduce(0) { $0 + $1[0] }] + first.dropFirst()
        }
    }

    /// A table of nodes (name, what, inputs), output shapes and parameter counts.
    public func summary(inputShape: [Int]) throws -> String {
        let shapes = try nodeShapes(for: inputShape)
        let rows = nodes.map { node -> [String] in
            let (op, count): (String, Int) = switch node.operation {
            case let .layer(layer): (layer.kind, layer.parameterCount)
            case .add: ("add", 0)
            case .concat: ("concat", 0)
            }
            return [node.name, op, node.inputs.joined(separator: ", "), "\(shapes[node.name] ?? [])", "\(count)"]
        }
        var lines = SummaryTable.lines(header: ["node", "op", "inputs", "output shape", "parameters"], rows: rows)
        lines.append("total: \(parameterCount) parameters, \(ByteCount.format(parameterCount * MemoryLayout<Float>.size))")
        return lines.joined(separator: "\n")
    }
}

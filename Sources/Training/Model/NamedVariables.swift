import Backend
import NN

/// A model variable with the stable name it has in checkpoints: the layer's index in its
/// `Sequential`, the layer's kind and the variable's own name, joined by dots
/// (`0.dense.weight`, `3.batchnorm1d.running_mean`; a nested `Sequential` adds its own index
/// and kind in front: `2.sequential.0.dense.bias`).
public struct NamedVariable {
    /// The checkpoint name.
    public let name: String
    /// The variable.
    public let variable: Variable
    /// The index of the top-level layer that holds it.
    public let layerIndex: Int
}

extension Sequential {
    /// The trainable parameters, named, in the order of `parameters`.
    public var namedParameters: [NamedVariable] { named(\.parameters) }

    /// The buffers (running statistics), named, in the order of `buffers`.
    public var namedBuffers: [NamedVariable] { named(\.buffers) }

    /// Parameters, then buffers: everything a checkpoint of the model holds.
    public var namedState: [NamedVariable] { namedParameters + namedBuffers }

    private func named(_ variables: (any Layer) -> [Variable]) -> [NamedVariable] {
        layers.enumerated().flatMap { index, layer -> [NamedVariable] in
            let prefix = "\(index).\(layer.kind)."
            if let nested = layer as? Sequential {
                return nested.named(variables).map { NamedVariable(name: prefix + $0.name, variable: $0.variable, layerIndex: index) }
            }
            return variables(layer).map { NamedVariable(name: prefix + $0.name, variable: $0, layerIndex: index) }
        }
    }
}

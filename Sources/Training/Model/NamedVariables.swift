import Backend
import NN

/// A model variable with the stable name it has in checkpoints: the names of the layers down to
/// the one that holds it and the variable's own name, joined by dots. A `Sequential` names its
/// layers by index and kind (`0.dense.weight`, `3.batchnorm1d.running_mean`), a `Graph` by node
/// (`shortcut.weight`); a nested model adds its own name in front (`2.sequential.0.dense.bias`).
public struct NamedVariable {
    /// The checkpoint name.
    public let name: String
    /// The variable.
    public let variable: Variable
    /// The index of the top-level layer that holds it (in the model's `namedLayers`).
    public let layerIndex: Int
}

extension LayerContainer {
    /// The trainable parameters, named, in the order of `parameters`.
    public var namedParameters: [NamedVariable] { named(\.parameters) }

    /// The buffers (running statistics), named, in the order of `buffers`.
    public var namedBuffers: [NamedVariable] { named(\.buffers) }

    /// Parameters, then buffers: everything a checkpoint of the model holds.
    public var namedState: [NamedVariable] { namedParameters + namedBuffers }

    private func named(_ variables: (any Layer) -> [Variable]) -> [NamedVariable] {
        namedLayers.enumerated().flatMap { index, entry -> [NamedVariable] in
            let (prefix, layer) = (entry.name + ".", entry.layer)
            if let nested = layer as? any LayerContainer {
                return nested.named(variables).map { NamedVariable(name: prefix + $0.name, variable: $0.variable, layerIndex: index) }
            }
            return variables(layer).map { NamedVariable(name: prefix + $0.name, variable: $0, layerIndex: index) }
        }
    }
}

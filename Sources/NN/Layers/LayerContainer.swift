/// A layer made of named layers: a whole model (`Sequential`, `Graph`). Checkpoints name each
/// variable by the path of names down to the layer that holds it.
public protocol LayerContainer: Layer {
    /// The direct sublayers with their names: `0.dense` for the first layer of a `Sequential`,
    /// the node's name for a `Graph`.
    var namedLayers: [(name: String, layer: any Layer)] { get }
    /// A table of layers, output shapes, parameter counts and parameter memory for samples of
    /// `inputShape` (batch dimension excluded).
    func summary(inputShape: [Int]) throws -> String
}

import NN

extension LayerContainer {
    /// Freezes (or unfreezes) the parameters of the layers at `indices` (of `namedLayers`): a
    /// frozen parameter gets no gradient and the optimizer leaves it alone, so fine-tuning trains
    /// only the rest.
    public func setTrainable(_ trainable: Bool, layers indices: some Sequence<Int>) throws {
        let layers = namedLayers
        for index in indices {
            guard layers.indices.contains(index) else {
                throw TrainingError.invalidArgument(
                    op: "setTrainable", detail: "layer \(index) does not exist; the model has layers 0..<\(layers.count)")
            }
            for parameter in layers[index].layer.parameters { parameter.requiresGrad = trainable }
        }
    }

    /// Freezes the first `count` layers (a pretrained body) and leaves the rest trainable.
    public func freeze(first count: Int) throws {
        let total = namedLayers.count
        try setTrainable(false, layers: 0..<min(count, total))
        try setTrainable(true, layers: min(count, total)..<total)
    }

    /// The number of trainable (not frozen) values.
    public var trainableParameterCount: Int {
        parameters.filter(\.requiresGrad).reduce(0) { $0 + $1.value.count }
    }
}

import NN

extension Sequential {
    /// Freezes (or unfreezes) the parameters of the layers at `indices`: a frozen parameter gets
    /// no gradient and the optimizer leaves it alone, so fine-tuning trains only the rest.
    public func setTrainable(_ trainable: Bool, layers indices: some Sequence<Int>) throws {
        for index in indices {
            guard layers.indices.contains(index) else {
                throw TrainingError.invalidArgument(
                    op: "setTrainable", detail: "layer \(index) does not exist; the model has layers 0..<\(layers.count)")
            }
            for parameter in layers[index].parameters { parameter.requiresGrad = trainable }
        }
    }

    /// Freezes the first `count` layers (a pretrained body) and leaves the rest trainable.
    public func freeze(first count: Int) throws {
        try setTrainable(false, layers: 0..<min(count, layers.count))
        try setTrainable(true, layers: min(count, layers.count)..<layers.count)
    }

    /// The number of trainable (not frozen) values.
    public var trainableParameterCount: Int {
        parameters.filter(\.requiresGrad).reduce(0) { $0 + $1.value.count }
    }
}

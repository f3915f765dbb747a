import NN

/// Host copies of a model's parameters and buffers, by checkpoint name: what early stopping
/// keeps of the best epoch, and what a checkpoint writes.
public struct ModelSnapshot: Sendable, Equatable {
    /// The tensors, in the model's `namedState` order.
    public let arrays: [NamedArray]

    /// Downloads every parameter and buffer of `model`.
    public init(of model: any LayerContainer) throws {
        arrays = try model.namedState.map {
            try NamedArray(name: $0.name, shape: $0.variable.shape, values: $0.variable.value.toArray())
        }
    }

    /// Snapshot of the given arrays.
    public init(arrays: [NamedArray]) {
        self.arrays = arrays
    }

    /// Writes the values back into `model`, whose names and shapes must match.
    public func restore(into model: any LayerContainer) throws {
        let byName = Dictionary(arrays.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for named in model.namedState {
            guard let array = byName[named.name], array.shape == named.variable.shape else {
                throw TrainingError.invalidArgument(
                    op: "ModelSnapshot.restore", detail: "the snapshot has no tensor '\(named.name)' of shape \(named.variable.shape)")
            }
            try named.variable.value.assign(array.values)
        }
    }
}

import Backend
import NN

/// Holds pruned weights at zero while a pruned model is fine-tuned: after every training step
/// each pruned tensor is multiplied by its mask (1 where a weight survived, 0 where it was
/// pruned), on the device.
public final class PruningMask: TrainingCallback {
    private let masked: [(variable: Variable, mask: Tensor)]

    /// Masks of the weights of rank ≥ 2 of `model` that are zero now.
    public init(zerosOf model: any LayerContainer) throws {
        masked = try model.namedParameters.filter { $0.variable.shape.count >= 2 }.map { named in
            let values = try named.variable.value.toArray()
            let mask = try Tensor(values.map { $0 == 0 ? 0 : 1 }, shape: named.variable.shape, on: named.variable.device)
            return (named.variable, mask)
        }
    }

    public func stepDidEnd(_ trainer: Trainer, epoch: Int, batch: Int) throws {
        for (variable, mask) in masked {
            try variable.device.binary(.mul, variable.value, mask, into: variable.value)
        }
    }
}

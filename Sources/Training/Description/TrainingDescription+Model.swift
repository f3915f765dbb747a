import Backend
import NN

extension TrainingDescription {
    /// The described model for samples of `inputShape` on `device`, with its random
    /// initialization (as a run builds it, before `init:` is applied).
    public func makeModel(inputShape: [Int], on device: any Device) throws -> any LayerContainer {
        try TrainingRun.buildModel(self, inputShape: inputShape, on: device)
    }

    /// The PyTorch names of the model's layers: `init.map` and `init.prefix` when the
    /// description starts from PyTorch weights, else the default rule.
    public var pytorchModules: PyTorchModuleMap {
        guard let initial = transfer.initialWeights, initial.format == .pytorch else { return PyTorchModuleMap() }
        return initial.modules
    }
}

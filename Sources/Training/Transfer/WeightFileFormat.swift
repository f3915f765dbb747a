import Foundation
import NN

/// How a weight file to start from names its tensors (`init.format`).
public enum WeightFileFormat: String, Sendable, CaseIterable {
    /// SwiftTune's own names (`0.dense.weight`, `stem.weight`), as `train` writes them in
    /// `model.safetensors`, `best.safetensors` and `checkpoint.safetensors`.
    case swifttune
    /// A PyTorch state dict (`PyTorchWeights`): names by `init.map`, `init.prefix` and
    /// `PyTorchNameRules`, layouts converted.
    case pytorch

    /// The file's tensors under the names `model` gives them: the one place a format plugs in.
    /// `map` names PyTorch's modules. With `strict`, a format that can say more about a file that
    /// does not fit than names and shapes (pytorch: both names of every tensor) throws its own
    /// `TrainingError.incompatibleWeights` here; tensors named in `excluded` (SwiftTune names)
    /// are exempt from it.
    func tensors(
        at url: URL, for model: any LayerContainer, map: PyTorchModuleMap, strict: Bool, excluded: Set<String>
    ) throws -> [NamedArray] {
        switch self {
        case .swifttune:
            return try SafeTensors.read(url).arrays.filter { !$0.name.hasPrefix(TrainingCheckpoint.optimizerPrefix) }
        case .pytorch:
            let file = try SafeTensors.read(url)
            if strict { try PyTorchWeights.requireFit(file, named: url.path, model: model, map: map, excluding: excluded) }
            return try PyTorchWeights.swiftTuneArrays(file, for: model, map: map)
        }
    }
}

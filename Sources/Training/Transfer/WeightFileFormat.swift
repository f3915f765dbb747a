import Foundation
import NN

/// How a weight file to start from names its tensors (`init.format`).
public enum WeightFileFormat: String, Sendable, CaseIterable {
    /// SwiftTune's own names (`0.dense.weight`, `stem.weight`), as `train` writes them in
    /// `model.safetensors`, `best.safetensors` and `checkpoint.safetensors`.
    case swifttune

    /// The file's tensors under the names `model` gives them: the one place a format plugs in.
    func tensors(at url: URL, for model: any LayerContainer) throws -> [NamedArray] {
        switch self {
        case .swifttune:
            try SafeTensors.read(url).arrays.filter { !$0.name.hasPrefix(TrainingCheckpoint.optimizerPrefix) }
        }
    }
}

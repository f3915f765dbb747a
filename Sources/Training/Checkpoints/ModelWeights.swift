import Foundation
import NN

/// What `ModelWeights.load` put into a model.
public struct WeightLoadReport: Sendable, Equatable {
    /// Model tensors set from the file.
    public let loaded: [String]
    /// Model tensors the file does not have (left as they were).
    public let missing: [String]
    /// Model tensors the file has with another shape (left as they were).
    public let mismatched: [String]
    /// File tensors the model has no place for (optimizer state of a checkpoint is not counted).
    public let unexpected: [String]
}

/// A model's parameters and buffers as a safetensors file: the way to hand trained weights to
/// another run (or to PyTorch) and to start from pretrained weights.
public enum ModelWeights {
    /// Writes `model`'s parameters and buffers under their checkpoint names.
    public static func save(_ model: any LayerContainer, to url: URL, metadata: [String: String] = [:]) throws {
        try SafeTensors.write(ModelSnapshot(of: model).arrays, metadata: metadata, to: url)
    }

    /// Loads the tensors of the safetensors file at `url` (weights or a training checkpoint)
    /// into `model` by name. Strict loading requires every model tensor to be in the file with
    /// its shape; otherwise the tensors that fit are loaded and the rest reported, which is how
    /// a pretrained body is put under a new head for fine-tuning.
    @discardableResult
    public static func load(from url: URL, into model: any LayerContainer, strict: Bool = true) throws -> WeightLoadReport {
        try load(SafeTensors.read(url), named: url.path, into: model, strict: strict)
    }

    @discardableResult
    static func load(_ file: SafeTensorsFile, named fileName: String, into model: any LayerContainer, strict: Bool) throws -> WeightLoadReport {
        var loaded: [String] = []
        var missing: [String] = []
        var mismatched: [String] = []
        var assignments: [(NamedVariable, NamedArray)] = []
        for named in model.namedState {
            guard let array = file[named.name] else {
                missing.append(named.name)
                continue
            }
            guard array.shape == named.variable.shape else {
                mismatched.append("\(named.name) (file \(array.shape), model \(named.variable.shape))")
                continue
            }
            assignments.append((named, array))
            loaded.append(named.name)
        }
        let modelNames = Set(model.namedState.map(\.name))
        let unexpected = file.arrays.map(\.name).filter {
            !modelNames.contains($0) && !$0.hasPrefix(TrainingCheckpoint.optimizerPrefix)
        }
        if strict, !(missing.isEmpty && mismatched.isEmpty) {
            var problems: [String] = []
            if !missing.isEmpty { problems.append("missing \(missing.joined(separator: ", "))") }
            if !mismatched.isEmpty { problems.append("other shapes: \(mismatched.joined(separator: ", "))") }
            throw TrainingError.incompatibleWeights(file: fileName, detail: "does not fit the model: " + problems.joined(separator: "; "))
        }
        for (_, array) in assignments { try requireFinite(array, file: fileName) }
        for (named, array) in assignments { try named.variable.value.assign(array.values) }
        return WeightLoadReport(loaded: loaded, missing: missing, mismatched: mismatched, unexpected: unexpected)
    }

    /// Throws, naming the tensor and the element, when `array` holds NaN or an infinity: such a
    /// file is damaged, and training from it would only produce NaN.
    static func requireFinite(_ array: NamedArray, file: String) throws {
        guard let (index, value) = array.firstNonFiniteValue else { return }
        throw TrainingError.incompatibleWeights(
            file: file, detail: "tensor '\(array.name)' holds \(value) at element \(index); weights must be finite")
    }
}

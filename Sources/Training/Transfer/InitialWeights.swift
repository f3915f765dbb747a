import Foundation
import NN

/// What starting from a weight file did to a model: which tensors came from the file, which
/// were initialised fresh (and why), and which tensors of the file had no place in the model.
public struct InitialWeightsReport: Sendable, Equatable {
    /// The weight file.
    public let file: String
    /// Model tensors set from the file.
    public let loaded: [String]
    /// Model tensors left as the model initialised them.
    public let fresh: [FreshTensor]
    /// File tensors the model has no place for, with their shapes.
    public let unused: [String]

    /// One line per group, for the train command's output.
    public var text: String {
        var lines = ["init: \(loaded.count) tensors from \(file)"]
        if !fresh.isEmpty {
            lines.append("initialised fresh: " + fresh.map { "\($0.name) (\($0.reason))" }.joined(separator: ", "))
        }
        if !unused.isEmpty { lines.append("unused in the file: " + unused.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }
}

/// A model tensor that kept its fresh initialisation, and why: `not in the file`,
/// `file [10, 5], model [32, 5]` or `excluded`.
public struct FreshTensor: Sendable, Equatable {
    public let name: String
    public let reason: String
}

/// Starts a model from a weight file (`init` in a description, `--init-weights` on the command
/// line). Tensors are matched by name and shape; with `strict` every model tensor must be in the
/// file with its shape and every file tensor must have a place in the model, otherwise the
/// error lists every mismatch with both sides. Without `strict`, the tensors that do not fit
/// (a new head) keep the fresh initialisation the model was built with.
public enum InitialWeights {
    /// Loads `description`'s file (relative paths from `baseFolder`) into `model`.
    public static func load(
        _ description: InitialWeightsDescription, baseFolder: URL, into model: any LayerContainer
    ) throws -> InitialWeightsReport {
        let url = description.url(baseFolder: baseFolder)
        let excludedLayers = Set(try description.exclude.layerIndices(of: model))
        let excludedNames = Set(model.namedState.filter { excludedLayers.contains($0.layerIndex) }.map(\.name))
        let arrays: [NamedArray]
        do {
            arrays = try description.format.tensors(
                at: url, for: model, map: description.modules, strict: description.strict, excluded: excludedNames)
        } catch let error as TrainingError {
            throw description.site.error("\(error)")
        } catch {
            throw description.site.error("cannot read \(url.path): \(error)")
        }
        let byName = Dictionary(arrays.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var loaded: [(NamedVariable, NamedArray)] = []
        var fresh: [FreshTensor] = []
        var problems: [String] = []
        for named in model.namedState {
            if excludedLayers.contains(named.layerIndex) {
                fresh.append(FreshTensor(name: named.name, reason: "excluded"))
            } else if let array = byName[named.name] {
                if array.shape == named.variable.shape {
                    loaded.append((named, array))
                } else {
                    fresh.append(FreshTensor(name: named.name, reason: "file \(array.shape), model \(named.variable.shape)"))
                    problems.append("'\(named.name)' has shape \(array.shape) in the file and \(named.variable.shape) in the model")
                }
            } else {
                fresh.append(FreshTensor(name: named.name, reason: "not in the file"))
                problems.append("model tensor '\(named.name)' \(named.variable.shape) is not in the file")
            }
        }
        let modelNames = Set(model.namedState.map(\.name))
        let unused = arrays.filter { !modelNames.contains($0.name) }.map { "\($0.name) \($0.shape)" }
        problems += unused.map { "file tensor \($0) has no place in the model" }
        if description.strict, !problems.isEmpty {
            throw description.site.error(
                "\(url.path) does not fit the model (init.strict: false initialises what does not fit fresh): "
                    + problems.joined(separator: "; "))
        }
        for (named, array) in loaded {
            do {
                try ModelWeights.requireFinite(array, file: url.path)
            } catch {
                throw description.site.error("\(error)")
            }
            try named.variable.value.assign(array.values)
        }
        return InitialWeightsReport(file: url.path, loaded: loaded.map(\.0.name), fresh: fresh, unused: unused)
    }
}

import Foundation
import NN

/// PyTorch state dicts saved as safetensors (`safetensors.torch.save_file(model.state_dict(),
/// ...)`), into and out of SwiftTune models: names by `PyTorchModuleMap` and
/// `PyTorchNameRules`, layouts converted (a linear layer's weight is transposed), BatchNorm's
/// `num_batches_tracked` ignored.
public enum PyTorchWeights {
    /// Loads the state dict in the safetensors file at `url` into `model`. Strict loading
    /// requires every model tensor in the file with its shape and every file tensor to have a
    /// place in the model, and otherwise throws one error that lists every tensor that is
    /// missing, of another shape or extra, naming both sides. Without `strict` the tensors that
    /// fit are loaded and the rest reported (a new head stays as initialized).
    @discardableResult
    public static func load(
        from url: URL, into model: any LayerContainer, map: PyTorchModuleMap = PyTorchModuleMap(), strict: Bool = true
    ) throws -> WeightLoadReport {
        try load(SafeTensors.read(url), named: url.path, into: model, map: map, strict: strict)
    }

    /// Loads `file` (named `fileName` in errors) into `model`; see `load(from:into:map:strict:)`.
    @discardableResult
    public static func load(
        _ file: SafeTensorsFile, named fileName: String, into model: any LayerContainer,
        map: PyTorchModuleMap = PyTorchModuleMap(), strict: Bool = true
    ) throws -> WeightLoadReport {
        let (problems, assignments) = try fit(file, into: model, map: map)
        if strict, !problems.isEmpty {
            throw TrainingError.incompatibleWeights(file: fileName, detail: problems.description)
        }
        for (_, array) in assignments { try ModelWeights.requireFinite(array, file: fileName) }
        for (pair, array) in assignments {
            try pair.variable.value.assign(pair.layout.fromTorch(array.values, shape: pair.variable.shape))
        }
        return WeightLoadReport(
            loaded: assignments.map(\.0.swiftName), missing: problems.missing.map(\.swiftName),
            mismatched: problems.mismatched.map { PyTorchLoadProblems.shapeLine($0.0, fileShape: $0.1) },
            unexpected: problems.unexpected.map(\.name))
    }

    /// Throws the error strict loading gives (every missing, mis-shaped and extra tensor with
    /// both names) when `file` does not fit `model`, leaving out the model tensors named in
    /// `excluding` (SwiftTune names: layers initialised fresh whatever the file holds).
    public static func requireFit(
        _ file: SafeTensorsFile, named fileName: String, model: any LayerContainer, map: PyTorchModuleMap = PyTorchModuleMap(),
        excluding excluded: Set<String> = []
    ) throws {
        var (problems, _) = try fit(file, into: model, map: map)
        problems.missing.removeAll { excluded.contains($0.swiftName) }
        problems.mismatched.removeAll { excluded.contains($0.0.swiftName) }
        if !problems.isEmpty { throw TrainingError.incompatibleWeights(file: fileName, detail: problems.description) }
    }

    /// What of `file` fits `model` (each model tensor with its file tensor) and what does not.
    private static func fit(
        _ file: SafeTensorsFile, into model: any LayerContainer, map: PyTorchModuleMap
    ) throws -> (PyTorchLoadProblems, [(PyTorchTensorPair, NamedArray)]) {
        let pairs = try map.pairs(for: model)
        var problems = PyTorchLoadProblems()
        var assignments: [(PyTorchTensorPair, NamedArray)] = []
        for pair in pairs {
            guard let array = file[pair.torchName] else {
                problems.missing.append(pair)
                continue
            }
            guard array.shape == pair.torchShape else {
                problems.mismatched.append((pair, array.shape))
                continue
            }
            assignments.append((pair, array))
        }
        let torchNames = Set(pairs.map(\.torchName))
        problems.unexpected = file.arrays.filter { array in
            !torchNames.contains(array.name)
                && !PyTorchNameRules.ignoredTorchNames.contains(String(array.name.split(separator: ".").last ?? ""))
        }
        return (problems, assignments)
    }

    /// The tensors of a PyTorch state dict under the SwiftTune names of `model`'s tensors and in
    /// SwiftTune's layouts, for a loader that matches by SwiftTune name (a tensor whose shape
    /// does not fit keeps its values and PyTorch's shape, so the loader reports it); tensors that
    /// map to nothing keep their PyTorch names, and `num_batches_tracked` is left out.
    public static func swiftTuneArrays(
        _ file: SafeTensorsFile, for model: any LayerContainer, map: PyTorchModuleMap = PyTorchModuleMap()
    ) throws -> [NamedArray] {
        let pairs = Dictionary(try map.pairs(for: model).map { ($0.torchName, $0) }, uniquingKeysWith: { first, _ in first })
        return try file.arrays.compactMap { array in
            guard let pair = pairs[array.name] else {
                let last = String(array.name.split(separator: ".").last ?? "")
                return PyTorchNameRules.ignoredTorchNames.contains(last) ? nil : array
            }
            guard array.shape == pair.torchShape else { return try NamedArray(name: pair.swiftName, shape: array.shape, values: array.values) }
            return try NamedArray(
                name: pair.swiftName, shape: pair.variable.shape, values: pair.layout.fromTorch(array.values, shape: pair.variable.shape))
        }
    }

    /// The model's parameters and buffers under their PyTorch names, in PyTorch's layouts: a
    /// state dict `load_state_dict` accepts (BatchNorm's `num_batches_tracked` left out; PyTorch
    /// fills it in).
    public static func stateDict(of model: any LayerContainer, map: PyTorchModuleMap = PyTorchModuleMap()) throws -> [NamedArray] {
        try map.pairs(for: model).map { try $0.torchArray($0.variable.value.toArray()) }
    }

    /// The gradients of the model's parameters (after a backward pass) under their PyTorch
    /// names and in PyTorch's layouts; a parameter without a gradient is left out.
    public static func gradients(of model: any LayerContainer, map: PyTorchModuleMap = PyTorchModuleMap()) throws -> [NamedArray] {
        try map.pairs(for: model).filter(\.isParameter).compactMap { pair in
            try pair.variable.grad.map { try pair.torchArray($0.toArray()) }
        }
    }

    /// Writes `stateDict(of:map:)` to `url` as safetensors (`safetensors.torch.load_file` reads it).
    public static func export(_ model: any LayerContainer, to url: URL, map: PyTorchModuleMap = PyTorchModuleMap()) throws {
        try SafeTensors.write(stateDict(of: model, map: map), metadata: ["format": "pt"], to: url)
    }
}

/// What keeps a PyTorch state dict from fitting a model, all of it at once.
struct PyTorchLoadProblems: CustomStringConvertible {
    var missing: [PyTorchTensorPair] = []
    var mismatched: [(PyTorchTensorPair, [Int])] = []
    var unexpected: [NamedArray] = []

    var isEmpty: Bool { missing.isEmpty && mismatched.isEmpty && unexpected.isEmpty }

    static func shapeLine(_ pair: PyTorchTensorPair, fileShape: [Int]) -> String {
        "PyTorch '\(pair.torchName)' has shape \(fileShape); SwiftTune '\(pair.swiftName)' \(pair.variable.shape) needs \(pair.torchShape)"
    }

    var description: String {
        var lines = ["the PyTorch state dict does not fit the model (\(missing.count) missing, \(mismatched.count) of another shape, \(unexpected.count) extra):"]
        lines += missing.map { "  missing: SwiftTune '\($0.swiftName)' \($0.variable.shape) reads PyTorch '\($0.torchName)' \($0.torchShape), which the file does not have" }
        lines += mismatched.map { "  shape: " + Self.shapeLine($0.0, fileShape: $0.1) }
        lines += unexpected.map { "  extra: PyTorch '\($0.name)' \($0.shape) is no tensor of the model" }
        if !missing.isEmpty || !unexpected.isEmpty {
            lines.append("  (map layers to other PyTorch modules with init.map, or load what fits with init.strict: false)")
        }
        return lines.joined(separator: "\n")
    }
}

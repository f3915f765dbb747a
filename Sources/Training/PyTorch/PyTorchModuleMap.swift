import NN

/// Which PyTorch module each SwiftTune layer stands for, and so the PyTorch name of every
/// tensor of a model.
///
/// By default a graph node's name with `_` read as `.` is the module's path (`layer1_0_conv1`
/// is `layer1.0.conv1`, `classifier_0` is `classifier.0`, `fc` is `fc`), and layer `i` of a
/// list is module `i` of an `nn.Sequential`. `modules` overrides that for the layers it names
/// (by node name, or by index for a list); `prefix` goes in front of every PyTorch name (a model
/// kept as an attribute of another, `backbone.`).
public struct PyTorchModuleMap: Sendable, Equatable {
    /// SwiftTune layer name → PyTorch module path.
    public var modules: [String: String]
    /// Put in front of every PyTorch name.
    public var prefix: String

    public init(modules: [String: String] = [:], prefix: String = "") {
        self.modules = modules
        self.prefix = prefix
    }

    /// The PyTorch module path of the layer named `name` (a node name, or `<index>.<kind>` in a
    /// list).
    func modulePath(ofLayer name: String) -> String {
        let index = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
        if let explicit = modules[name] ?? modules[index] { return explicit }
        return name.contains(".") ? index : name.replacingOccurrences(of: "_", with: ".")
    }

    /// Every parameter and buffer of `model` with its PyTorch name and layout, in the order of
    /// the model's layers. Throws when a key of `modules` names no layer, or when two tensors
    /// would get the same PyTorch name.
    func pairs(for model: any LayerContainer) throws -> [PyTorchTensorPair] {
        let layerNames = model.namedLayers.map(\.name)
        let known = Set(layerNames + layerNames.compactMap { $0.split(separator: ".", maxSplits: 1).first.map(String.init) })
        if let unknown = modules.keys.sorted().first(where: { !known.contains($0) }) {
            throw TrainingError.invalidArgument(
                op: "PyTorch weights",
                detail: "the map names '\(unknown)', which is no layer of the model; its layers are \(layerNames.joined(separator: ", "))")
        }
        let pairs = Self.pairs(of: model, swiftPrefix: "", torchPath: { prefix + modulePath(ofLayer: $0) })
        var seen: [String: String] = [:]
        for pair in pairs {
            if let other = seen.updateValue(pair.swiftName, forKey: pair.torchName) {
                throw TrainingError.invalidArgument(
                    op: "PyTorch weights",
                    detail: "'\(other)' and '\(pair.swiftName)' both map to PyTorch's '\(pair.torchName)'; give one of their layers another module in the map")
            }
        }
        return pairs
    }

    /// The pairs of `container`'s layers; a nested container's layers take the default rule
    /// under their container's module.
    private static func pairs(
        of container: any LayerContainer, swiftPrefix: String, torchPath: (String) -> String
    ) -> [PyTorchTensorPair] {
        container.namedLayers.flatMap { name, layer -> [PyTorchTensorPair] in
            let module = torchPath(name)
            if let nested = layer as? any LayerContainer {
                let inner = PyTorchModuleMap()
                return pairs(of: nested, swiftPrefix: swiftPrefix + name + ".", torchPath: { module + "." + inner.modulePath(ofLayer: $0) })
            }
            let variables = layer.parameters.map { ($0, true) } + layer.buffers.map { ($0, false) }
            return variables.map { variable, isParameter in
                let rule = PyTorchNameRules.rule(kind: layer.kind, variable: variable.name)
                return PyTorchTensorPair(
                    swiftName: swiftPrefix + name + "." + variable.name, torchName: module + "." + rule.torchName,
                    variable: variable, layout: rule.layout, isParameter: isParameter)
            }
        }
    }
}

/// One model tensor with its SwiftTune and PyTorch names.
struct PyTorchTensorPair {
    /// The checkpoint name in SwiftTune (`layer1_0_bn1.gamma`).
    let swiftName: String
    /// The state-dict name in PyTorch (`layer1.0.bn1.weight`).
    let torchName: String
    let variable: Variable
    let layout: PyTorchLayout
    /// A trainable parameter (else a buffer such as a running mean).
    let isParameter: Bool

    /// The shape PyTorch gives the tensor.
    var torchShape: [Int] { layout.torchShape(of: variable.shape) }

    /// `values` (the variable's value or gradient) as PyTorch's tensor.
    func torchArray(_ values: [Float]) throws -> NamedArray {
        try NamedArray(name: torchName, shape: torchShape, values: layout.toTorch(values, shape: variable.shape))
    }
}

import Foundation
import NN

/// `init:` of a description: weights to start from instead of the random initialization.
///
///     init:
///       weights: resnet18.safetensors   # relative to the description's folder
///       format: pytorch                 # swifttune (default: SwiftTune's own names) or pytorch
///       strict: true                    # false: load what fits, keep the rest as initialized
///       map: {head: fc}                 # pytorch: SwiftTune layer → PyTorch module
///       prefix: backbone.               # pytorch: in front of every PyTorch name
public struct InitDescription: Sendable, Equatable {
    /// How the file names its tensors.
    public enum Format: String, Sendable, Equatable, CaseIterable {
        /// SwiftTune's checkpoint names (`model.safetensors` of a run).
        case swifttune
        /// A PyTorch state dict (`PyTorchWeights`).
        case pytorch
    }

    /// The weights file (relative paths start from the description's folder).
    public var weights: String
    public var format: Format
    public var strict: Bool
    /// For `pytorch`: which PyTorch module each named layer is.
    public var modules: PyTorchModuleMap

    public init(weights: String, format: Format = .swifttune, strict: Bool = true, modules: PyTorchModuleMap = PyTorchModuleMap()) {
        self.weights = weights
        self.format = format
        self.strict = strict
        self.modules = modules
    }

    static func parse(_ node: YAMLValue) throws -> InitDescription {
        let fields = try node.mapping(allowedKeys: ["weights", "format", "strict", "map", "prefix"])
        let format = try fields["format"].map { try $0.choice(Format.self) } ?? .swifttune
        if format != .pytorch, let key = fields["map"] ?? fields["prefix"] {
            throw key.error("only format: pytorch reads a map or a prefix")
        }
        var modules: [String: String] = [:]
        for (layer, module) in try fields["map"]?.mapping().entries ?? [] {
            modules[layer] = try module.string()
        }
        return InitDescription(
            weights: try fields.required("weights").string(), format: format, strict: try fields["strict"]?.bool() ?? true,
            modules: PyTorchModuleMap(modules: modules, prefix: try fields["prefix"]?.string() ?? ""))
    }

    /// Loads the weights into `model`; relative paths start from `baseFolder`.
    @discardableResult
    public func load(into model: any LayerContainer, baseFolder: URL) throws -> WeightLoadReport {
        let url = weights.hasPrefix("/") ? URL(fileURLWithPath: weights) : baseFolder.appendingPathComponent(weights)
        switch format {
        case .swifttune: return try ModelWeights.load(from: url, into: model, strict: strict)
        case .pytorch: return try PyTorchWeights.load(from: url, into: model, map: modules, strict: strict)
        }
    }
}

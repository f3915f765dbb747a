import Foundation

/// What a description says about starting from trained weights: the file to start from (`init`),
/// the layers to freeze (`freeze`, `trainable: false` on a layer) and the two-phase recipe
/// (`fine_tune`). See docs/train-file.md, "Transfer learning".
public struct TransferDescription: Sendable, Equatable {
    /// The weights to start from, when given.
    public var initialWeights: InitialWeightsDescription?
    /// The layers to freeze: the `freeze` entries, then the layers marked `trainable: false`.
    public var frozen: [LayerSelector]
    /// Unfreeze the frozen layers after some epochs, with another learning rate.
    public var fineTune: FineTuneDescription?

    /// Nothing to load, nothing frozen.
    public static let none = TransferDescription(initialWeights: nil, frozen: [], fineTune: nil)

    /// The top-level keys this struct reads.
    static let keys = ["init", "freeze", "fine_tune"]

    /// Reads `init`, `freeze` and `fine_tune` from the top level; `untrainable` are the layers
    /// marked `trainable: false`.
    static func parse(_ fields: YAMLMapping, untrainable: [LayerSelector]) throws -> TransferDescription {
        let frozen = try (fields["freeze"]?.sequenceOrSingle() ?? []).map(LayerSelector.parse) + untrainable
        let fineTune = try fields["fine_tune"].map(FineTuneDescription.parse)
        if let fineTune, frozen.isEmpty, fields["init"] == nil {
            throw fineTune.site.error("fine_tune unfreezes frozen layers, but none are frozen: add `freeze`, `trainable: false` or `init`")
        }
        return TransferDescription(
            initialWeights: try fields["init"].map(InitialWeightsDescription.parse), frozen: frozen, fineTune: fineTune)
    }
}

/// `init: {weights: FILE, strict: true, format: swifttune, exclude: [...]}`, and for
/// `format: pytorch` also `map: {layer: module}` and `prefix: TEXT`.
public struct InitialWeightsDescription: Sendable, Equatable {
    /// The weight file, relative to the description's folder or absolute.
    public var path: String
    /// Whether every model tensor must be in the file with its shape.
    public var strict: Bool
    /// How the file names its tensors.
    public var format: WeightFileFormat
    /// Layers initialised fresh even when the file has tensors that fit them (a new head with
    /// the old head's shape).
    public var exclude: [LayerSelector]
    /// For `pytorch`: which PyTorch module each layer is (`init.map`, `init.prefix`).
    public var modules: PyTorchModuleMap
    let site: DescriptionSite

    static func parse(_ node: YAMLValue) throws -> InitialWeightsDescription {
        let fields = try node.mapping(allowedKeys: ["weights", "strict", "format", "exclude", "map", "prefix"])
        let weights = try fields.required("weights")
        let path = try weights.string()
        guard !path.isEmpty else { throw weights.error("the weight file's path is empty") }
        let format = try fields["format"]?.choice(WeightFileFormat.self) ?? .swifttune
        if format != .pytorch, let key = fields["map"] ?? fields["prefix"] {
            throw key.error("only format: pytorch reads a map or a prefix")
        }
        var modules: [String: String] = [:]
        for (layer, module) in try fields["map"]?.mapping().entries ?? [] {
            modules[layer] = try module.string()
        }
        return InitialWeightsDescription(
            path: path, strict: try fields["strict"]?.bool() ?? true, format: format,
            exclude: try (fields["exclude"]?.sequenceOrSingle() ?? []).map(LayerSelector.parse),
            modules: PyTorchModuleMap(modules: modules, prefix: try fields["prefix"]?.string() ?? ""), site: DescriptionSite(weights))
    }

    /// The file, found from `baseFolder` when the path is relative.
    public func url(baseFolder: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : baseFolder.appendingPathComponent(path)
    }
}

/// `fine_tune: {unfreeze_after_epochs: N, learning_rate: X}`: the frozen layers train from epoch
/// N + 1 on, at rate X, with fresh optimizer state.
public struct FineTuneDescription: Sendable, Equatable {
    public var unfreezeAfterEpochs: Int
    public var learningRate: Float
    let site: DescriptionSite

    static func parse(_ node: YAMLValue) throws -> FineTuneDescription {
        let fields = try node.mapping(allowedKeys: ["unfreeze_after_epochs", "learning_rate"])
        return FineTuneDescription(
            unfreezeAfterEpochs: try fields.required("unfreeze_after_epochs").int(min: 1),
            learningRate: try fields.required("learning_rate").float(above: 0), site: DescriptionSite(node))
    }
}

import Foundation

/// A model-and-data description: what to train on, the model, how to train it, and what to
/// compress afterwards. Read from YAML (see docs/train-file.md); values can be overridden by
/// name so a tuner can substitute hyperparameters.
public struct TrainingDescription: Sendable, Equatable {
    /// Seeds the split, the weights, dropout and shuffling.
    public var seed: UInt64
    public var data: DataDescription
    /// The layers, first to last.
    public var model: [LayerDescription]
    public var training: TrainingSettings
    public var compression: CompressionDescription?
    /// Where each layer was written (for errors found when the model is built).
    let layerSites: [DescriptionSite]
    /// The folder relative data paths start from.
    public var baseFolder: URL

    /// Parses a description from YAML text; `overrides` replace declared parameters, key paths
    /// or common settings (see `YAMLTree.resolvingParameters`). Errors name the key and
    /// the line.
    public static func parse(
        yaml: String, file: String = "<string>", baseFolder: URL? = nil, overrides: [String: DescriptionValue] = [:]
    ) throws -> TrainingDescription {
        let tree = try YAMLTree.parse(yaml: yaml, file: file).resolvingParameters(overrides, file: file)
        let root = YAMLValue(tree, path: "", file: file)
        let fields = try root.mapping(allowedKeys: ["seed", "data", "model", "training", "compression"])
        let layerNodes = try fields.required("model").sequence()
        guard !layerNodes.isEmpty else { throw try fields.required("model").error("the model needs at least one layer") }
        return TrainingDescription(
            seed: UInt64(try fields["seed"]?.int(min: 0) ?? 0),
            data: try DataDescription.parse(fields.required("data")),
            model: try layerNodes.map(LayerDescription.parse),
            training: try fields["training"].map(TrainingSettings.parse) ?? TrainingSettings.parse(YAMLValue(.mapping([], nil), path: "training", file: file)),
            compression: try fields["compression"].map(CompressionDescription.parse),
            layerSites: layerNodes.map(DescriptionSite.init),
            baseFolder: baseFolder ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    }

    /// Reads and parses the YAML file at `url` (at most 1 MiB); relative data paths start from
    /// its folder.
    public static func load(_ url: URL, overrides: [String: DescriptionValue] = [:]) throws -> TrainingDescription {
        let text = try YAMLLimits.text(contentsOf: url)
        return try parse(yaml: text, file: url.path, baseFolder: url.deletingLastPathComponent(), overrides: overrides)
    }
}

/// Where a part of a description was written.
struct DescriptionSite: Sendable, Equatable {
    let file: String
    let key: String
    let mark: YAMLMark?

    init(_ node: YAMLValue) {
        file = node.file
        key = node.path
        mark = node.mark
    }

    func error(_ detail: String) -> DescriptionError {
        DescriptionError(file: file, line: mark?.line, column: mark?.column, key: key, detail: detail)
    }
}

import Foundation

/// A model-and-data description: what to train on, the model, how to train it, and what to
/// compress afterwards. Read from YAML (see docs/train-file.md); values can be overridden by
/// name so a tuner can substitute hyperparameters.
public struct TrainingDescription: Sendable, Equatable {
    /// Seeds the split, the weights, dropout and shuffling.
    public var seed: UInt64
    public var data: DataDescription
    /// The layers first to last, or the graph of named nodes.
    public var model: ModelDescription
    public var training: TrainingSettings
    public var compression: CompressionDescription?
    /// Weights to start from (`init:`), instead of the random initialization.
    public var initialization: InitDescription?
    /// Where each layer or node was written (for errors found when the model is built).
    let modelSites: [DescriptionSite]
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
        let fields = try root.mapping(allowedKeys: ["seed", "data", "model", "training", "compression", "init"])
        let (model, modelSites) = try Self.readModel(fields.required("model"))
        return TrainingDescription(
            seed: UInt64(try fields["seed"]?.int(min: 0) ?? 0),
            data: try DataDescription.parse(fields.required("data")),
            model: model,
            training: try fields["training"].map(TrainingSettings.parse) ?? TrainingSettings.parse(YAMLValue(.mapping([], nil), path: "training", file: file)),
            compression: try fields["compression"].map(CompressionDescription.parse),
            initialization: try fields["init"].map(InitDescription.parse),
            modelSites: modelSites,
            baseFolder: baseFolder ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    }

    /// A list of layers, or `{graph: [...]}`.
    private static func readModel(_ node: YAMLValue) throws -> (ModelDescription, [DescriptionSite]) {
        guard node.isScalar || (try? node.sequence()) == nil else {
            let layers = try node.sequence()
            guard !layers.isEmpty else { throw node.error("the model needs at least one layer") }
            return (.sequence(try layers.map(LayerDescription.parse)), layers.map(DescriptionSite.init))
        }
        let graph = try node.mapping(allowedKeys: ["graph"]).required("graph")
        let (nodes, sites) = try GraphDescriptionReader.read(graph)
        return (.graph(nodes), sites)
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

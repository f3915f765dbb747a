import Foundation

/// Where a description's samples come from and how they are prepared.
public struct DataDescription: Sendable, Equatable {
    /// The source of the samples.
    public enum Source: Sendable, Equatable {
        /// A data set that ships with SwiftTune.
        case bundled(BundledDataset)
        /// A CSV file (a path relative to the description's folder, or absolute).
        case csv(path: String, target: CSVOptions.Column, classification: Bool, delimiter: Character)
        /// MNIST-format IDX files in a folder: the train files are split into training and
        /// validation parts, the t10k files are the test part.
        case mnist(folder: String, fashion: Bool)
    }

    /// How features are scaled (fitted on the training part only).
    public enum Scaling: String, Sendable, Equatable, CaseIterable {
        case standard
        case minmax
        case none
    }

    public var source: Source
    /// Each sample seen with this shape (e.g. `[1, 8, 8]` for the digits as images).
    public var imageShape: [Int]?
    /// Fractions of the samples held out for validation and test.
    public var validation: Double
    public var test: Double
    public var scaling: Scaling
    /// Regression: whether targets are standardized too (metrics are then in standardized units).
    public var scaleTargets: Bool
    /// Random changes to training images.
    public var augmentation: ImageAugmentation?
    /// Images resized to `[channels, height, width]` (nearest neighbour; one channel repeated).
    public var resize: [Int]?
    /// Only the first this many samples are used (a quick run of a large model).
    public var maxSamples: Int?

    static let keys = ["dataset", "path", "folder", "target", "task", "delimiter", "image_shape", "validation", "test", "scale", "scale_targets", "augmentation", "resize", "max_samples"]

    static func parse(_ node: YAMLValue) throws -> DataDescription {
        let fields = try node.mapping(allowedKeys: keys)
        let datasetNode = try fields.required("dataset")
        let kind = try datasetNode.choice(BundledDataset.allCases.map(\.rawValue) + ["csv", "mnist", "fashion_mnist"])
        let source: Source
        switch kind {
        case "csv":
            let targetNode = fields["target"]
            let target: CSVOptions.Column
            if let targetNode, case let .scalar(text, quoted, _) = targetNode.tree, !quoted, let index = Int(text) {
                target = .index(index)
            } else {
                target = try targetNode.map { .name(try $0.string()) } ?? .last
            }
            let delimiter = try fields["delimiter"]?.string() ?? ","
            guard delimiter.count == 1, let character = delimiter.first, character.isASCII else {
                throw (fields["delimiter"] ?? node).error("the delimiter must be one ASCII character")
            }
            source = .csv(
                path: try fields.required("path").string(), target: target,
                classification: try fields.required("task").choice(["classification", "regression"]) == "classification",
                delimiter: character)
        case "mnist", "fashion_mnist":
            source = .mnist(folder: try fields.required("folder").string(), fashion: kind == "fashion_mnist")
        default:
            source = .bundled(BundledDataset(rawValue: kind) ?? .digits)
        }
        let validation = try fields["validation"]?.double(atLeast: 0, below: 1) ?? 0.15
        let test = try fields["test"]?.double(atLeast: 0, below: 1) ?? 0.15
        if validation + test >= 1 { throw (fields["test"] ?? node).error("validation and test fractions must sum to less than 1") }
        return DataDescription(
            source: source, imageShape: try fields["image_shape"]?.sequence().map { try $0.int(min: 1) }, validation: validation, test: test,
            scaling: Scaling(rawValue: try fields["scale"]?.choice(Scaling.allCases.map(\.rawValue)) ?? "standard") ?? .standard,
            scaleTargets: try fields["scale_targets"]?.bool() ?? true,
            augmentation: try fields["augmentation"].map(parseAugmentation),
            resize: try fields["resize"]?.sequence().map { try $0.int(min: 1) },
            maxSamples: try fields["max_samples"]?.int(min: 1))
    }

    private static func parseAugmentation(_ node: YAMLValue) throws -> ImageAugmentation {
        let fields = try node.mapping(allowedKeys: ["shift", "flip", "brightness", "contrast"])
        return ImageAugmentation(
            maxShift: try fields["shift"]?.int(min: 0) ?? 0, horizontalFlipProbability: try fields["flip"]?.float(atLeast: 0, atMost: 1) ?? 0,
            brightness: try fields["brightness"]?.float(atLeast: 0) ?? 0, contrast: try fields["contrast"]?.float(atLeast: 0, below: 1) ?? 0)
    }
}

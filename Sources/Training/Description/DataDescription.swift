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
        /// Image files in class folders or listed in a CSV file.
        case images(ImageDataDescription)
        /// Token sequences: texts or ids in a CSV column (`text`, `sequences`, or a bundled text set).
        case sequence(SequenceSource)
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
    /// The classes, samples per class and folds taken part.
    public var selection: DataSelection = .all

    /// Images resized to `[channels, height, width]` (nearest neighbour; one channel repeated).
    public var resize: [Int]?
    /// Only the first this many samples are used (a quick run of a large model).
    public var maxSamples: Int?

    static let keys = ["dataset", "path", "folder", "target", "task", "delimiter", "image_shape", "validation", "test", "scale", "scale_targets", "augmentation", "column", "sequence", "resize", "max_samples"] + DataSelection.keys

    static func parse(_ node: YAMLValue) throws -> DataDescription {
        let fields = try node.mapping(allowedKeys: keys + ImageDataDescription.keys)
        if fields["images"] != nil { return try parseImages(fields) }
        if let imageKey = ImageDataDescription.keys.first(where: { fields[$0] != nil }), let imageNode = fields[imageKey] {
            throw imageNode.error("'\(imageKey)' is for image files (data.images)")
        }
        let datasetNode = try fields.required("dataset")
        let kind = try datasetNode.choice(BundledDataset.allCases.map(\.rawValue) + ["csv", "mnist", "fashion_mnist"] + SequenceSource.kinds)
        let source: Source
        switch kind {
        case _ where SequenceSource.kinds.contains(kind):
            source = .sequence(try SequenceSource.parse(kind: kind, fields, at: node))
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
        let (validation, test) = try parseFractions(fields)
        let imageShape = try fields["image_shape"]?.sequence().map { try $0.int(min: 1) }
        let resize = try fields["resize"]?.sequence().map { try $0.int(min: 1) }
        let sampleShape = resize ?? imageShape ?? (kind == "mnist" || kind == "fashion_mnist" ? [1, 28, 28] : nil)
        var description = DataDescription(
            source: source, imageShape: imageShape, validation: validation, test: test,
            scaling: Scaling(rawValue: try fields["scale"]?.choice(Scaling.allCases.map(\.rawValue)) ?? "standard") ?? .standard,
            scaleTargets: try fields["scale_targets"]?.bool() ?? true,
            augmentation: try fields["augmentation"].map { try parseAugmentation($0, imageShape: sampleShape) })
        description.selection = try DataSelection.parse(fields)
        description.resize = resize
        description.maxSamples = try fields["max_samples"]?.int(min: 1)
        return description
    }

    /// `data: {images: PATH, ...}`: no feature scaling (images are normalized per channel instead).
    private static func parseImages(_ fields: YAMLMapping) throws -> DataDescription {
        if let key = ["resize", "max_samples"].first(where: { fields[$0] != nil }), let node = fields[key] {
            throw node.error("'\(key)' does not apply to image files (data.images) yet")
        }
        let images = try ImageDataDescription.parse(fields)
        let (validation, test) = try parseFractions(fields)
        var description = DataDescription(
            source: .images(images), imageShape: nil, validation: validation, test: test, scaling: .none, scaleTargets: false,
            augmentation: try fields["augmentation"].map { try parseAugmentation($0, imageShape: images.settings.featureShape) })
        description.selection = try DataSelection.parse(fields)
        return description
    }

    /// The validation and test fractions (0.15 each by default), which must leave samples to train on.
    private static func parseFractions(_ fields: YAMLMapping) throws -> (validation: Double, test: Double) {
        let validation = try fields["validation"]?.double(atLeast: 0, below: 1) ?? 0.15
        let test = try fields["test"]?.double(atLeast: 0, below: 1) ?? 0.15
        if validation + test >= 1 { throw (fields["test"] ?? fields.owner).error("validation and test fractions must sum to less than 1") }
        return (validation, test)
    }
}

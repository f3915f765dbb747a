import Foundation

/// Loads MNIST-format data sets (MNIST, Fashion-MNIST, and others that use the same IDX files)
/// from disk. Images get the feature shape `[1, height, width]`.
public enum MNIST {
    /// The training or the test part.
    public enum Split: Sendable {
        case train
        case test

        /// The file name prefix the distributions use: `train` or `t10k`.
        var prefix: String { self == .train ? "train" : "t10k" }
    }

    /// The classes of MNIST: the digits.
    public static let digitClassNames = (0...9).map(String.init)
    /// The classes of Fashion-MNIST, in label order.
    public static let fashionClassNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]

    /// Loads an images file (rank 3: count, height, width) and its labels file (rank 1).
    /// Pixels are multiplied by `pixelScale` (1/255 maps bytes to [0, 1]).
    public static func load(
        images: URL, labels: URL, classNames: [String] = digitClassNames, pixelScale: Float = 1.0 / 255
    ) throws -> Dataset {
        let imageArray = try IDXFile.read(images)
        let labelArray = try IDXFile.read(labels)
        guard imageArray.shape.count == 3 else {
            throw DataError.malformed(
                file: images.path, line: nil, column: nil, detail: "images must have 3 dimensions, found shape \(imageArray.shape)")
        }
        guard labelArray.shape == [imageArray.shape[0]] else {
            throw DataError.malformed(
                file: labels.path, line: nil, column: nil,
                detail: "labels of shape \(labelArray.shape) do not match \(imageArray.shape[0]) images")
        }
        if let bad = labelArray.values.firstIndex(where: { Dataset.classIndex($0, classCount: classNames.count) == nil }) {
            throw DataError.malformed(
                file: labels.path, line: nil, column: nil,
                detail: "label \(labelArray.values[bad]) of item \(bad) is not a class index in 0..<\(classNames.count)")
        }
        let features = pixelScale == 1 ? imageArray.values : imageArray.values.map { $0 * pixelScale }
        return try Dataset(
            features: features, featureShape: [1, imageArray.shape[1], imageArray.shape[2]],
            targets: labelArray.values, task: .classification(classNames: classNames))
    }

    /// Loads one part from a folder holding the files under their usual names
    /// (`train-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, ..., each optionally ending in `.gz`).
    public static func load(
        folder: URL, split: Split, classNames: [String] = digitClassNames, pixelScale: Float = 1.0 / 255
    ) throws -> Dataset {
        try load(
            images: file(folder, "\(split.prefix)-images-idx3-ubyte"),
            labels: file(folder, "\(split.prefix)-labels-idx1-ubyte"),
            classNames: classNames, pixelScale: pixelScale)
    }

    /// `name` or `name.gz` in `folder`.
    private static func file(_ folder: URL, _ name: String) throws -> URL {
        let candidates = [name, name + ".gz"].map { folder.appendingPathComponent($0) }
        guard let found = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0.path) }) else {
            throw DataError.unreadable(file: candidates[0].path, reason: "neither \(name) nor \(name).gz is in \(folder.path)")
        }
        return found
    }
}

import Foundation

/// How a run made samples of image files, saved as `preprocessing.json` in the run folder so
/// that the same steps can be applied to new images (e.g. by `predict`):
///
///     {"kind": "images", "version": 1, "class_names": ["cat", "dog"], "channels": 3,
///      "image_size": [32, 32], "resize": "bilinear", "pixel_scale": "1/255",
///      "normalize": {"mean": [0.49, 0.48, 0.45], "std": [0.25, 0.24, 0.26]}}
///
/// A sample is the decoded image (`channels` 1: gray, 3: RGB), resized to `image_size`
/// (height, width) bilinearly, as `[channels, height, width]` values `byte / 255`, then
/// `(value − mean[c]) / std[c]` per channel. Class index `i` is `class_names[i]`.
public struct ImagePreprocessing: Sendable, Equatable, Codable {
    /// The file's name in a run folder.
    public static let fileName = "preprocessing.json"

    public let kind: String
    public let version: Int
    public let classNames: [String]
    public let channels: Int
    /// `[height, width]`.
    public let imageSize: [Int]
    public let resize: String
    public let pixelScale: String
    public let normalize: ImageNormalization

    enum CodingKeys: String, CodingKey {
        case kind, version, channels, resize
        case classNames = "class_names"
        case imageSize = "image_size"
        case pixelScale = "pixel_scale"
        case normalize
    }

    /// The preprocessing of images made with `settings` and `normalization`.
    public init(classNames: [String], settings: ImageSettings, normalization: ImageNormalization) {
        kind = "images"
        version = 1
        self.classNames = classNames
        channels = settings.channels
        imageSize = [settings.height, settings.width]
        resize = "bilinear"
        pixelScale = "1/255"
        normalize = normalization
    }

    /// The sample settings (channels and size).
    public func settings() throws -> ImageSettings {
        guard imageSize.count == 2 else {
            throw DataError.invalidArgument(op: "ImagePreprocessing", detail: "image_size must be [height, width], not \(imageSize)")
        }
        return try ImageSettings(channels: channels, height: imageSize[0], width: imageSize[1])
    }

    /// The sample of one image file: decoded, resized and normalized as the run's were.
    public func features(of url: URL) throws -> [Float] {
        let settings = try settings()
        let samples = ImageSamples(
            files: [url], settings: settings, normalization: normalize, indices: [0],
            cache: DecodedImageCache(count: 1, limit: 0), sums: [])
        var values = [Float](repeating: 0, count: settings.featureShape.reduce(1, *))
        try values.withUnsafeMutableBufferPointer { try samples.writeFeatures(of: 0, into: $0) }
        return values
    }

    /// Writes `preprocessing.json` into `folder`.
    public func write(into folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(encoder.encode(self), to: folder.appendingPathComponent(Self.fileName))
    }

    /// Reads `preprocessing.json` from a run folder.
    public static func read(from folder: URL) throws -> ImagePreprocessing {
        let url = folder.appendingPathComponent(fileName)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DataError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        do {
            let preprocessing = try JSONDecoder().decode(ImagePreprocessing.self, from: data)
            guard preprocessing.kind == "images", preprocessing.version == 1 else {
                throw DataError.malformed(file: url.path, line: nil, column: nil, detail: "not version 1 image preprocessing")
            }
            _ = try preprocessing.settings()
            return preprocessing
        } catch let error as DataError {
            throw error
        } catch {
            throw DataError.malformed(file: url.path, line: nil, column: nil, detail: "\(error)")
        }
    }
}

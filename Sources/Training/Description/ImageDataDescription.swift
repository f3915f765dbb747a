/// Image files as a description's data (`data: {images: PATH, ...}`): a folder of class
/// folders or a CSV of paths and labels, and how the images become samples.
public struct ImageDataDescription: Sendable, Equatable {
    /// How pixel values in [0, 1] are normalized per channel.
    public enum Normalization: Sendable, Equatable {
        /// Values stay in [0, 1].
        case none
        /// Mean and deviation per channel of the training part.
        case auto
        /// Given mean and deviation per channel.
        case given(ImageNormalization)
    }

    /// The folder or CSV file, relative to the description's folder or absolute.
    public var path: String
    /// The size, color and shape of the samples.
    public var settings: ImageSettings
    public var normalization: Normalization
    /// Whether unreadable files are left out with a warning instead of stopping the run.
    public var skipBadFiles: Bool
    /// How many MiB of decoded images are kept in memory; images past it are decoded again
    /// whenever a batch needs them.
    public var cacheMegabytes: Int

    /// The data keys only image files take.
    static let keys = ["images", "channels", "image_size", "normalize", "skip_bad_files", "cache_mb"]
    /// The data keys image files do not take (they belong to other sources).
    static let refusedKeys = ["dataset", "path", "folder", "target", "task", "delimiter", "image_shape", "scale", "scale_targets"]

    static func parse(_ fields: YAMLMapping) throws -> ImageDataDescription {
        if let refused = refusedKeys.first(where: { fields[$0] != nil }), let node = fields[refused] {
            throw node.error("image files (data.images) do not take '\(refused)'; use channels, image_size and normalize")
        }
        let channels = try fields["channels"]?.choice(["1", "3"]) == "1" ? 1 : 3
        let sizeNode = try fields.required("image_size")
        let size = try sizeNode.sequence().map { try $0.int(min: 1, max: 4096) }
        guard size.count == 2 else { throw sizeNode.error("expected [height, width]") }
        let settings: ImageSettings
        do {
            settings = try ImageSettings(channels: channels, height: size[0], width: size[1])
        } catch {
            throw sizeNode.error("\(error)")
        }
        return ImageDataDescription(
            path: try fields.required("images").string(), settings: settings,
            normalization: try fields["normalize"].map { try parseNormalization($0, channels: channels) } ?? .none,
            skipBadFiles: try fields["skip_bad_files"]?.bool() ?? false,
            cacheMegabytes: try fields["cache_mb"]?.int(min: 0) ?? 2048)
    }

    /// `auto`, `none`, or `{mean: [...], std: [...]}` with one value per channel.
    private static func parseNormalization(_ node: YAMLValue, channels: Int) throws -> Normalization {
        if node.isScalar {
            return try node.choice(["auto", "none"]) == "auto" ? .auto : .none
        }
        let fields = try node.mapping(allowedKeys: ["mean", "std"])
        let mean = try fields.required("mean").sequenceOrSingle().map { try $0.float() }
        let std = try fields.required("std").sequenceOrSingle().map { try $0.float(above: 0) }
        do {
            return .given(try ImageNormalization(mean: mean, std: std, channels: channels))
        } catch {
            throw node.error("\(error)")
        }
    }
}

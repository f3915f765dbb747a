import Dispatch
import Foundation

/// The size and color of the samples made from image files.
public struct ImageSettings: Sendable, Equatable, Codable {
    /// 1 (gray) or 3 (RGB).
    public let channels: Int
    public let height: Int
    public let width: Int

    public init(channels: Int, height: Int, width: Int) throws {
        guard channels == 1 || channels == 3, height > 0, width > 0 else {
            throw DataError.invalidArgument(
                op: "ImageSettings", detail: "need 1 or 3 channels and a positive size, got \(channels) channels of \(height)×\(width)")
        }
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// The shape of one sample: `[channels, height, width]`.
    public var featureShape: [Int] { [channels, height, width] }
}

/// Image files as samples of shape `[channels, height, width]`: decoded, resized (bilinear) to
/// the settings' size, scaled to [0, 1] and normalized per channel. Decoded images are cached
/// (as bytes) up to a limit; the others are decoded again when a batch needs them, which the
/// data loader does on its prefetch thread.
public final class ImageSamples: SampleSource {
    /// The readable files of the data set (every part shares them).
    public let files: [URL]
    public let settings: ImageSettings
    /// Applied when features are written.
    public let normalization: ImageNormalization
    /// The file of each sample.
    let indices: [Int]
    let cache: DecodedImageCache
    /// Pixel sums per file, for the statistics of a part.
    let sums: [ChannelSums]

    init(
        files: [URL], settings: ImageSettings, normalization: ImageNormalization, indices: [Int], cache: DecodedImageCache,
        sums: [ChannelSums]
    ) {
        self.files = files
        self.settings = settings
        self.normalization = normalization
        self.indices = indices
        self.cache = cache
        self.sums = sums
    }

    public var count: Int { indices.count }

    /// How many of the files' decoded images are held in memory.
    public var cachedImageCount: Int { cache.keptCount }

    /// The file of sample `index`.
    public func file(of index: Int) -> URL { files[indices[index]] }

    public func writeFeatures(of index: Int, into destination: UnsafeMutableBufferPointer<Float>) throws {
        let file = indices[index]
        let bytes = try cache.image(file) ?? Self.decode(files[file], settings: settings)
        let plane = settings.height * settings.width
        for channel in 0..<settings.channels {
            let scale = 1 / (255 * normalization.std[channel])
            let offset = -normalization.mean[channel] / normalization.std[channel]
            for position in (channel * plane)..<((channel + 1) * plane) {
                destination[position] = Float(bytes[position]) * scale + offset
            }
        }
    }

    public func subset(_ indices: [Int]) -> any SampleSource {
        ImageSamples(
            files: files, settings: settings, normalization: normalization, indices: indices.map { self.indices[$0] },
            cache: cache, sums: sums)
    }

    /// The same samples with another normalization.
    public func normalized(_ normalization: ImageNormalization) -> ImageSamples {
        ImageSamples(files: files, settings: settings, normalization: normalization, indices: indices, cache: cache, sums: sums)
    }

    /// The per-channel mean and deviation of these samples' pixels (in [0, 1]).
    public func channelStatistics() throws -> ImageNormalization {
        try indices.reduce(ChannelSums.zero(channels: settings.channels)) { $0 + sums[$1] }.normalization()
    }

    /// Reads `url` and makes its planar bytes: decoded to the settings' channels, resized to
    /// their size.
    static func decode(_ url: URL, settings: ImageSettings) throws -> [UInt8] {
        let image = try ImageCodec.read(url, channels: settings.channels)
        if image.height == settings.height, image.width == settings.width, settings.channels == 1 { return image.pixels }
        return BilinearResize.planarValues(of: image, height: settings.height, width: settings.width).map {
            UInt8(min(max($0 * 255, 0), 255).rounded())
        }
    }
}

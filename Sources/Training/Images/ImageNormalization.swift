/// Per-channel normalization of pixel values in [0, 1]: `(value − mean[c]) / std[c]`, as
/// torchvision's `Normalize` after `ToTensor`.
public struct ImageNormalization: Sendable, Equatable, Codable {
    public let mean: [Float]
    public let std: [Float]

    /// A normalization; throws unless both lists have one finite value per channel and every
    /// deviation is positive.
    public init(mean: [Float], std: [Float], channels: Int) throws {
        guard mean.count == channels, std.count == channels else {
            throw DataError.invalidArgument(
                op: "ImageNormalization", detail: "need one mean and one std per channel (\(channels)), got \(mean.count) and \(std.count)")
        }
        guard mean.allSatisfy(\.isFinite), std.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw DataError.invalidArgument(op: "ImageNormalization", detail: "means must be finite and deviations positive, got mean \(mean), std \(std)")
        }
        self.mean = mean
        self.std = std
    }

    /// No change: mean 0 and deviation 1 for each channel.
    public static func identity(channels: Int) -> ImageNormalization {
        ImageNormalization(unchecked: Array(repeating: 0, count: channels), std: Array(repeating: 1, count: channels))
    }

    private init(unchecked mean: [Float], std: [Float]) {
        self.mean = mean
        self.std = std
    }
}

/// Sums of pixel values (in [0, 1]) and of their squares per channel, added up over images to
/// give the per-channel mean and deviation of a data set's part.
struct ChannelSums: Sendable, Equatable {
    var sums: [Double]
    var squares: [Double]
    var pixelsPerChannel: Int

    static func zero(channels: Int) -> ChannelSums {
        ChannelSums(sums: Array(repeating: 0, count: channels), squares: Array(repeating: 0, count: channels), pixelsPerChannel: 0)
    }

    /// The sums of one planar image of `channels` channels.
    init(planar bytes: [UInt8], channels: Int) {
        let plane = bytes.count / max(channels, 1)
        var sums = [Double](repeating: 0, count: channels)
        var squares = [Double](repeating: 0, count: channels)
        for channel in 0..<channels {
            for byte in bytes[(channel * plane)..<((channel + 1) * plane)] {
                let value = Double(byte) / 255
                sums[channel] += value
                squares[channel] += value * value
            }
        }
        self.init(sums: sums, squares: squares, pixelsPerChannel: plane)
    }

    private init(sums: [Double], squares: [Double], pixelsPerChannel: Int) {
        self.sums = sums
        self.squares = squares
        self.pixelsPerChannel = pixelsPerChannel
    }

    static func + (lhs: ChannelSums, rhs: ChannelSums) -> ChannelSums {
        ChannelSums(
            sums: zip(lhs.sums, rhs.sums).map(+), squares: zip(lhs.squares, rhs.squares).map(+),
            pixelsPerChannel: lhs.pixelsPerChannel + rhs.pixelsPerChannel)
    }

    /// The per-channel mean and (population) deviation; throws when a channel does not vary.
    func normalization() throws -> ImageNormalization {
        let count = Double(max(pixelsPerChannel, 1))
        let mean = sums.map { $0 / count }
        let std = zip(squares, mean).map { (max($0 / count - $1 * $1, 0)).squareRoot() }
        if let flat = std.firstIndex(where: { $0 < 1e-6 }) {
            throw DataError.invalidArgument(
                op: "normalize: auto", detail: "channel \(flat) has the same value in every training image; give normalize: {mean, std}")
        }
        return try ImageNormalization(mean: mean.map { Float($0) }, std: std.map { Float($0) }, channels: sums.count)
    }
}

/// Bilinear resampling of planar images (`[channels, height, width]` floats) with pixel centres
/// at half-integers, as PyTorch's `interpolate(mode: "bilinear", align_corners: False)` without
/// antialiasing: a sample between four pixels mixes them by distance, positions past the border
/// take the border pixel.
public enum BilinearResize {
    /// A rectangle in source pixels (fractions allowed).
    public struct Region: Sendable, Equatable {
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double

        public init(x: Double, y: Double, width: Double, height: Double) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }
    }

    /// Samples `region` of each of the `channels` planes of `source` (each `sourceHeight ×
    /// sourceWidth`) on a `height × width` grid, writing planes of that size to `destination`.
    public static func resample(
        _ source: UnsafeBufferPointer<Float>, channels: Int, sourceHeight: Int, sourceWidth: Int, region: Region,
        height: Int, width: Int, into destination: UnsafeMutableBufferPointer<Float>
    ) {
        let columns = (0..<width).map { x in
            taps(region.x + (Double(x) + 0.5) * region.width / Double(width) - 0.5, size: sourceWidth)
        }
        for y in 0..<height {
            let row = taps(region.y + (Double(y) + 0.5) * region.height / Double(height) - 0.5, size: sourceHeight)
            for channel in 0..<channels {
                let plane = channel * sourceHeight * sourceWidth
                let top = plane + row.low * sourceWidth
                let bottom = plane + row.high * sourceWidth
                let out = (channel * height + y) * width
                for x in 0..<width {
                    let column = columns[x]
                    let upper = source[top + column.low] * (1 - column.weight) + source[top + column.high] * column.weight
                    let lower = source[bottom + column.low] * (1 - column.weight) + source[bottom + column.high] * column.weight
                    destination[out + x] = upper * (1 - row.weight) + lower * row.weight
                }
            }
        }
    }

    /// `image`'s bytes as planar values in [0, 1] (value / 255), resized to `height × width`.
    public static func planarValues(of image: DecodedImage, height: Int, width: Int) -> [Float] {
        let channels = image.channels
        var planar = [Float](repeating: 0, count: channels * image.height * image.width)
        let planeSize = image.height * image.width
        for index in 0..<planeSize {
            for channel in 0..<channels {
                planar[channel * planeSize + index] = Float(image.pixels[index * channels + channel]) / 255
            }
        }
        guard height != image.height || width != image.width else { return planar }
        var resized = [Float](repeating: 0, count: channels * height * width)
        planar.withUnsafeBufferPointer { source in
            resized.withUnsafeMutableBufferPointer { destination in
                resample(
                    source, channels: channels, sourceHeight: image.height, sourceWidth: image.width,
                    region: Region(x: 0, y: 0, width: Double(image.width), height: Double(image.height)),
                    height: height, width: width, into: destination)
            }
        }
        return resized
    }

    /// The two source pixels around `position` and the weight of the second.
    private static func taps(_ position: Double, size: Int) -> (low: Int, high: Int, weight: Float) {
        let clamped = min(max(position, 0), Double(size - 1))
        let low = Int(clamped.rounded(.down))
        let high = min(low + 1, size - 1)
        return (low, high, Float(clamped - Double(low)))
    }
}

import Backend

/// Random changes to images on the host, drawn per sample from a seeded generator: a shift by
/// whole pixels (the uncovered border filled with `fillValue`), a horizontal flip, then contrast
/// (scaling each channel around its mean) and brightness (adding a constant).
/// Images are `[channels, height, width]` or `[height, width]`.
public struct ImageAugmentation: Sendable, Equatable {
    /// Largest shift in pixels along each axis (0: none); each axis draws from `-maxShift...maxShift`.
    public var maxShift: Int
    /// Probability of mirroring left to right.
    public var horizontalFlipProbability: Float
    /// Largest brightness change: a value drawn from `-brightness...brightness` is added.
    public var brightness: Float
    /// Largest relative contrast change: each channel is scaled around its mean by a factor
    /// drawn from `(1 − contrast)...(1 + contrast)`.
    public var contrast: Float
    /// The value of pixels shifted in from outside.
    public var fillValue: Float
    /// When set, results are clamped to this range.
    public var clampRange: ClosedRange<Float>?

    /// An augmentation; the defaults change nothing.
    public init(
        maxShift: Int = 0, horizontalFlipProbability: Float = 0, brightness: Float = 0, contrast: Float = 0,
        fillValue: Float = 0, clampRange: ClosedRange<Float>? = nil
    ) {
        self.maxShift = maxShift
        self.horizontalFlipProbability = horizontalFlipProbability
        self.brightness = brightness
        self.contrast = contrast
        self.fillValue = fillValue
        self.clampRange = clampRange
    }

    /// Checks the settings against an image shape.
    public func validate(imageShape shape: [Int]) throws {
        guard shape.count == 2 || shape.count == 3 else {
            throw DataError.invalidArgument(
                op: "ImageAugmentation", detail: "images must be [channels, height, width] or [height, width], not \(shape)")
        }
        guard maxShift >= 0, brightness >= 0, contrast >= 0, contrast <= 1,
              (0...1).contains(horizontalFlipProbability) else {
            throw DataError.invalidArgument(
                op: "ImageAugmentation",
                detail: "need maxShift ≥ 0, brightness ≥ 0, 0 ≤ contrast ≤ 1 and a flip probability in [0, 1]")
        }
    }

    /// Augments one image in place; the draws depend only on `generator`.
    public func apply(to image: inout [Float], shape: [Int], using generator: inout PhiloxGenerator) throws {
        try validate(imageShape: shape)
        guard image.count == shape.reduce(1, *) else {
            throw DataError.invalidArgument(op: "ImageAugmentation", detail: "\(image.count) values do not fill shape \(shape)")
        }
        image.withUnsafeMutableBufferPointer { pixels in
            apply(to: pixels, shape: shape, using: &generator)
        }
    }

    /// Augments one image stored in `pixels`; the shape must have been validated.
    func apply(to pixels: UnsafeMutableBufferPointer<Float>, shape: [Int], using generator: inout PhiloxGenerator) {
        let height = shape[shape.count - 2]
        let width = shape[shape.count - 1]
        let channels = shape.count == 3 ? shape[0] : 1
        let shiftY = maxShift > 0 ? generator.nextIndex(below: 2 * maxShift + 1) - maxShift : 0
        let shiftX = maxShift > 0 ? generator.nextIndex(below: 2 * maxShift + 1) - maxShift : 0
        let flip = horizontalFlipProbability > 0 && generator.nextUnitFloat() < horizontalFlipProbability
        let factor = contrast > 0 ? generator.nextFloat(in: (1 - contrast)...(1 + contrast)) : 1
        let delta = brightness > 0 ? generator.nextFloat(in: -brightness...brightness) : 0

        var plane = [Float](repeating: 0, count: height * width)
        for channel in 0..<channels {
            let base = channel * height * width
            if shiftX != 0 || shiftY != 0 || flip {
                for y in 0..<height {
                    for x in 0..<width {
                        let sourceY = y - shiftY
                        let shiftedX = x - shiftX
                        let sourceX = flip ? width - 1 - shiftedX : shiftedX
                        let inside = (0..<height).contains(sourceY) && (0..<width).contains(sourceX)
                        plane[y * width + x] = inside ? pixels[base + sourceY * width + sourceX] : fillValue
                    }
                }
                for index in 0..<(height * width) { pixels[base + index] = plane[index] }
            }
            var mean: Float = 0
            if factor != 1 {
                var sum: Double = 0
                for index in 0..<(height * width) { sum += Double(pixels[base + index]) }
                mean = Float(sum / Double(height * width))
            }
            for index in base..<(base + height * width) {
                var value = (pixels[index] - mean) * factor + mean + delta
                if let clampRange { value = min(max(value, clampRange.lowerBound), clampRange.upperBound) }
                pixels[index] = value
            }
        }
    }
}

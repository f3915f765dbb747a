import Backend

/// Random changes to images on the host, drawn per sample from a seeded generator. In order:
/// a random resized crop, a shift by whole pixels (random crop with padding: the uncovered
/// border filled with `fillValue`), horizontal and vertical flips, a rotation, contrast (each
/// channel scaled around its mean), saturation (blended with the image's gray), brightness (a
/// constant added), the clamp, then random erasing. Images are `[channels, height, width]` or
/// `[height, width]`. The draws depend only on the generator, so a seed repeats a run.
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
    /// The value of pixels shifted, rotated or erased in from outside.
    public var fillValue: Float
    /// When set, results are clamped to this range.
    public var clampRange: ClosedRange<Float>?
    /// Probability of mirroring top to bottom.
    public var verticalFlipProbability: Float
    /// Largest rotation in degrees; the angle is drawn from `-rotation...rotation` and the image
    /// turned about its centre (bilinear).
    public var rotation: Float
    /// Largest relative saturation change (RGB only): each pixel is blended with its gray value
    /// (0.299 R + 0.587 G + 0.114 B) by a factor drawn from `(1 − saturation)...(1 + saturation)`.
    public var saturation: Float
    /// Crops a random part of random area and aspect ratio and resizes it to the full size.
    public var resizedCrop: ResizedCrop?
    /// Fills a random rectangle with `value`.
    public var erasing: Erasing?

    /// The random resized crop: the part's area is a fraction drawn from `scale` of the image's,
    /// its aspect ratio (width / height) is drawn log-uniformly from `ratio`; after ten misses
    /// the whole image is kept.
    public struct ResizedCrop: Sendable, Equatable {
        public var scale: ClosedRange<Float>
        public var ratio: ClosedRange<Float>

        public init(scale: ClosedRange<Float> = 0.08...1, ratio: ClosedRange<Float> = 0.75...(4 / 3)) {
            self.scale = scale
            self.ratio = ratio
        }
    }

    /// Random erasing: with `probability`, a rectangle whose area is a fraction drawn from
    /// `scale` of the image's and whose aspect ratio is drawn log-uniformly from `ratio` is set
    /// to `value` in every channel.
    public struct Erasing: Sendable, Equatable {
        public var probability: Float
        public var scale: ClosedRange<Float>
        public var ratio: ClosedRange<Float>
        public var value: Float

        public init(probability: Float = 0.5, scale: ClosedRange<Float> = 0.02...0.33, ratio: ClosedRange<Float> = 0.3...3.3, value: Float = 0) {
            self.probability = probability
            self.scale = scale
            self.ratio = ratio
            self.value = value
        }
    }

    /// An augmentation; the defaults change nothing.
    public init(
        maxShift: Int = 0, horizontalFlipProbability: Float = 0, brightness: Float = 0, contrast: Float = 0,
        fillValue: Float = 0, clampRange: ClosedRange<Float>? = nil, verticalFlipProbability: Float = 0, rotation: Float = 0,
        saturation: Float = 0, resizedCrop: ResizedCrop? = nil, erasing: Erasing? = nil
    ) {
        self.maxShift = maxShift
        self.horizontalFlipProbability = horizontalFlipProbability
        self.brightness = brightness
        self.contrast = contrast
        self.fillValue = fillValue
        self.clampRange = clampRange
        self.verticalFlipProbability = verticalFlipProbability
        self.rotation = rotation
        self.saturation = saturation
        self.resizedCrop = resizedCrop
        self.erasing = erasing
    }

    /// Checks the settings against an image shape.
    public func validate(imageShape shape: [Int]) throws {
        guard shape.count == 2 || shape.count == 3 else {
            throw DataError.invalidArgument(
                op: "ImageAugmentation", detail: "images must be [channels, height, width] or [height, width], not \(shape)")
        }
        let probabilities = [horizontalFlipProbability, verticalFlipProbability, erasing?.probability ?? 0]
        guard maxShift >= 0, brightness >= 0, contrast >= 0, contrast <= 1, saturation >= 0, saturation <= 1, rotation >= 0,
              rotation <= 180, probabilities.allSatisfy({ (0...1).contains($0) }) else {
            throw DataError.invalidArgument(
                op: "ImageAugmentation",
                detail: "need shift ≥ 0, brightness ≥ 0, contrast and saturation in [0, 1], rotation in [0, 180] and probabilities in [0, 1]")
        }
        if saturation > 0, shape.count != 3 || shape[0] != 3 {
            throw DataError.invalidArgument(op: "ImageAugmentation", detail: "saturation needs RGB images (3 channels), not \(shape)")
        }
        let ranges = [resizedCrop?.scale, resizedCrop?.ratio, erasing?.scale, erasing?.ratio].compactMap { $0 }
        guard ranges.allSatisfy({ $0.lowerBound > 0 }), resizedCrop.map({ $0.scale.upperBound <= 1 }) ?? true,
              erasing.map({ $0.scale.upperBound < 1 }) ?? true else {
            throw DataError.invalidArgument(
                op: "ImageAugmentation", detail: "crop and erasing scales must lie in (0, 1] (erasing below 1) and ratios be positive")
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
        let size = ImageGeometry(channels: shape.count == 3 ? shape[0] : 1, height: shape[shape.count - 2], width: shape[shape.count - 1])
        let shiftY = maxShift > 0 ? generator.nextIndex(below: 2 * maxShift + 1) - maxShift : 0
        let shiftX = maxShift > 0 ? generator.nextIndex(below: 2 * maxShift + 1) - maxShift : 0
        let flip = horizontalFlipProbability > 0 && generator.nextUnitFloat() < horizontalFlipProbability
        let factor = contrast > 0 ? generator.nextFloat(in: (1 - contrast)...(1 + contrast)) : 1
        let delta = brightness > 0 ? generator.nextFloat(in: -brightness...brightness) : 0
        let verticalFlip = verticalFlipProbability > 0 && generator.nextUnitFloat() < verticalFlipProbability
        let angle = rotation > 0 ? generator.nextFloat(in: -rotation...rotation) : 0
        let saturationFactor = saturation > 0 ? generator.nextFloat(in: (1 - saturation)...(1 + saturation)) : 1
        let cropRegion = resizedCrop.map { $0.region(in: size, using: &generator) }
        let erasedRegion = erasing.flatMap { $0.region(in: size, using: &generator) }

        if let cropRegion { size.resizeToFull(pixels, region: cropRegion) }
        if shiftX != 0 || shiftY != 0 || flip || verticalFlip {
            size.move(pixels, shiftY: shiftY, shiftX: shiftX, flip: flip, verticalFlip: verticalFlip, fill: fillValue)
        }
        if angle != 0 { size.rotate(pixels, degrees: angle, fill: fillValue) }
        if factor != 1 { size.scaleContrast(pixels, factor: factor) }
        if saturationFactor != 1 { size.scaleSaturation(pixels, factor: saturationFactor) }
        if delta != 0 || clampRange != nil {
            for index in pixels.indices {
                var value = pixels[index] + delta
                if let clampRange { value = min(max(value, clampRange.lowerBound), clampRange.upperBound) }
                pixels[index] = value
            }
        }
        if let erasedRegion, let erasing { size.fill(pixels, rows: erasedRegion.rows, columns: erasedRegion.columns, value: erasing.value) }
    }
}

extension DataDescription {
    /// The keys of `data.augmentation`.
    static let augmentationKeys = [
        "shift", "flip", "vertical_flip", "rotation", "brightness", "contrast", "saturation", "resized_crop", "erasing",
    ]

    /// Reads `data.augmentation`, refusing it (naming the key) unless the samples are images:
    /// image files, MNIST, or a data set viewed with a 2- or 3-dimensional `image_shape`.
    static func parseAugmentation(_ node: YAMLValue, imageShape: [Int]?) throws -> ImageAugmentation {
        guard let imageShape, imageShape.count == 2 || imageShape.count == 3 else {
            throw node.error(
                "augmentation is for images; this data is not (use data.images, an MNIST folder, or image_shape: [channels, height, width])")
        }
        let fields = try node.mapping(allowedKeys: augmentationKeys)
        let augmentation = ImageAugmentation(
            maxShift: try fields["shift"]?.int(min: 0) ?? 0,
            horizontalFlipProbability: try fields["flip"]?.float(atLeast: 0, atMost: 1) ?? 0,
            brightness: try fields["brightness"]?.float(atLeast: 0) ?? 0,
            contrast: try fields["contrast"]?.float(atLeast: 0, below: 1) ?? 0,
            verticalFlipProbability: try fields["vertical_flip"]?.float(atLeast: 0, atMost: 1) ?? 0,
            rotation: try fields["rotation"]?.float(atLeast: 0, atMost: 180) ?? 0,
            saturation: try fields["saturation"]?.float(atLeast: 0, atMost: 1) ?? 0,
            resizedCrop: try fields["resized_crop"].flatMap(parseResizedCrop),
            erasing: try fields["erasing"].flatMap(parseErasing))
        do {
            try augmentation.validate(imageShape: imageShape)
        } catch {
            throw node.error("\(error)")
        }
        return augmentation
    }

    /// `true` (the defaults), `false`, or `{scale: [low, high], ratio: [low, high]}`.
    private static func parseResizedCrop(_ node: YAMLValue) throws -> ImageAugmentation.ResizedCrop? {
        if node.isScalar { return try node.bool() ? ImageAugmentation.ResizedCrop() : nil }
        let fields = try node.mapping(allowedKeys: ["scale", "ratio"])
        let defaults = ImageAugmentation.ResizedCrop()
        return ImageAugmentation.ResizedCrop(
            scale: try fields["scale"].map { try range($0, atMost: 1) } ?? defaults.scale,
            ratio: try fields["ratio"].map { try range($0, atMost: nil) } ?? defaults.ratio)
    }

    /// `true` (the defaults), `false`, or `{probability, scale, ratio, value}`.
    private static func parseErasing(_ node: YAMLValue) throws -> ImageAugmentation.Erasing? {
        if node.isScalar { return try node.bool() ? ImageAugmentation.Erasing() : nil }
        let fields = try node.mapping(allowedKeys: ["probability", "scale", "ratio", "value"])
        let defaults = ImageAugmentation.Erasing()
        return ImageAugmentation.Erasing(
            probability: try fields["probability"]?.float(atLeast: 0, atMost: 1) ?? defaults.probability,
            scale: try fields["scale"].map { try range($0, atMost: 0.99) } ?? defaults.scale,
            ratio: try fields["ratio"].map { try range($0, atMost: nil) } ?? defaults.ratio,
            value: try fields["value"]?.float() ?? defaults.value)
    }

    /// `[low, high]` with 0 < low ≤ high (≤ `atMost`).
    private static func range(_ node: YAMLValue, atMost: Double?) throws -> ClosedRange<Float> {
        let values = try node.sequence().map { try $0.float(above: 0, atMost: atMost) }
        guard values.count == 2, values[0] <= values[1] else { throw node.error("expected [low, high] with low ≤ high") }
        return values[0]...values[1]
    }
}

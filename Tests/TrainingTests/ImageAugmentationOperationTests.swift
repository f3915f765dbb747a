import Backend
import Testing
import Training

/// The augmentations added for image files: each repeats for a seed and does what it says.
@Suite struct ImageAugmentationOperationTests {
    /// A 3-channel 5×6 image with distinct values.
    static let shape = [3, 5, 6]
    static let image: [Float] = (0..<90).map { Float($0) / 90 }

    func augmented(_ augmentation: ImageAugmentation, seed: UInt64, image: [Float] = image, shape: [Int] = shape) throws -> [Float] {
        var copy = image
        var generator = PhiloxGenerator(seed: seed)
        try augmentation.apply(to: &copy, shape: shape, using: &generator)
        return copy
    }

    static let all: [ImageAugmentation] = [
        ImageAugmentation(verticalFlipProbability: 0.5),
        ImageAugmentation(rotation: 30),
        ImageAugmentation(saturation: 0.5),
        ImageAugmentation(resizedCrop: .init(scale: 0.3...1)),
        ImageAugmentation(erasing: .init(probability: 0.7)),
        ImageAugmentation(
            maxShift: 1, horizontalFlipProbability: 0.5, brightness: 0.1, contrast: 0.2, verticalFlipProbability: 0.5,
            rotation: 15, saturation: 0.3, resizedCrop: .init(), erasing: .init()),
    ]

    @Test(arguments: all) func aSeedRepeatsAndSeedsDiffer(augmentation: ImageAugmentation) throws {
        let first = try (0..<20).map { try augmented(augmentation, seed: $0) }
        let again = try (0..<20).map { try augmented(augmentation, seed: $0) }
        #expect(first == again)
        #expect(Set(first.map(\.description)).count > 1)
        #expect(first.allSatisfy { $0.count == Self.image.count && $0.allSatisfy(\.isFinite) })
    }

    @Test func verticalFlipTwiceIsTheIdentity() throws {
        let flip = ImageAugmentation(verticalFlipProbability: 1)
        let once = try augmented(flip, seed: 1)
        #expect(once != Self.image)
        // Row 0 of each plane is the old last row.
        #expect(Array(once[0..<6]) == Array(Self.image[24..<30]))
        #expect(try augmented(flip, seed: 2, image: once) == Self.image)
        let both = ImageAugmentation(horizontalFlipProbability: 1, verticalFlipProbability: 1)
        #expect(try augmented(both, seed: 3, image: augmented(both, seed: 4)) == Self.image)
    }

    @Test func rotationTurnsAboutTheCentreAndKeepsConstants() throws {
        // A constant image with the fill equal to the constant stays constant.
        let constant = [Float](repeating: 0.25, count: 90)
        let rotation = ImageAugmentation(fillValue: 0.25, rotation: 45)
        for seed: UInt64 in 0..<5 {
            #expect(try augmented(rotation, seed: seed, image: constant).allSatisfy { abs($0 - 0.25) < 1e-6 })
        }
        // On an odd square the centre pixel stays where it is.
        let square: [Float] = (0..<25).map(Float.init)
        for seed: UInt64 in 0..<5 {
            #expect(try augmented(ImageAugmentation(rotation: 90), seed: seed, image: square, shape: [5, 5])[12] == 12)
        }
    }

    /// The gray value of pixel `index` of a planar 3-channel 5×6 image.
    static func luma(_ image: [Float], _ index: Int) -> Float {
        let red: Float = 0.299 * image[index]
        let green: Float = 0.587 * image[30 + index]
        let blue: Float = 0.114 * image[60 + index]
        return red + green + blue
    }

    @Test func saturationKeepsGraysAndTheGrayValue() throws {
        let gray = (0..<3).flatMap { _ in (0..<30).map { Float($0) / 30 } }
        #expect(try augmented(ImageAugmentation(saturation: 0.9), seed: 5, image: gray) == gray)
        // Saturation moves each pixel's channels toward or away from its gray value, which stays.
        for seed: UInt64 in 0..<10 {
            let result = try augmented(ImageAugmentation(saturation: 1), seed: seed)
            for index in 0..<30 {
                #expect(abs(Self.luma(Self.image, index) - Self.luma(result, index)) < 1e-5)
            }
        }
    }

    @Test func resizedCropKeepsTheShapeAndTheWholeCropIsTheIdentity() throws {
        let whole = ImageAugmentation(resizedCrop: .init(scale: 1...1, ratio: 1.2...1.2))
        #expect(try augmented(whole, seed: 0) == Self.image)
        // A smaller part, stretched: values stay within the image's and neighbours repeat or blend.
        for seed: UInt64 in 0..<10 {
            let result = try augmented(ImageAugmentation(resizedCrop: .init(scale: 0.2...0.5)), seed: seed)
            #expect(result.count == 90)
            #expect(result.allSatisfy { $0 >= 0 && $0 <= Self.image.max() ?? 1 })
        }
    }

    @Test func erasingFillsOneRectangleOfTheGivenArea() throws {
        let erasing = ImageAugmentation(erasing: .init(probability: 1, scale: 0.1...0.3, ratio: 0.5...2, value: -1))
        for seed: UInt64 in 0..<20 {
            let result = try augmented(erasing, seed: seed)
            let erased = result.indices.filter { result[$0] == -1 }
            let perPlane = erased.filter { $0 < 30 }
            // Ten draws may all miss on a 5×6 image; when one hits, the same rectangle is erased in every plane.
            #expect(erased.count == 3 * perPlane.count)
            if !perPlane.isEmpty {
                #expect(perPlane.count <= 15)
                let rows = Set(perPlane.map { $0 / 6 })
                let columns = Set(perPlane.map { $0 % 6 })
                #expect(rows.count * columns.count == perPlane.count)
            }
        }
        #expect(try augmented(ImageAugmentation(erasing: .init(probability: 0)), seed: 1) == Self.image)
    }

    @Test func badSettingsAreRefused() {
        var generator = PhiloxGenerator(seed: 0)
        var gray: [Float] = Array(repeating: 0, count: 9)
        #expect(throws: DataError.self) {
            try ImageAugmentation(saturation: 0.2).apply(to: &gray, shape: [1, 3, 3], using: &generator)
        }
        #expect(throws: DataError.self) {
            try ImageAugmentation(rotation: 200).apply(to: &gray, shape: [3, 3], using: &generator)
        }
        #expect(throws: DataError.self) {
            try ImageAugmentation(erasing: .init(scale: 0.5...1)).apply(to: &gray, shape: [3, 3], using: &generator)
        }
    }
}

import Backend
import Testing
import Training

@Suite struct ImageAugmentationTests {
    /// A 3×3 image 1...9.
    static let image: [Float] = (1...9).map(Float.init)

    /// Applies `augmentation` with the first generator (among seeds 0..<200) whose draws satisfy `accept`.
    func augment(_ augmentation: ImageAugmentation, shape: [Int] = [3, 3], image: [Float] = image) throws -> [[Float]] {
        try (0..<200).map { seed in
            var copy = image
            var generator = PhiloxGenerator(seed: UInt64(seed))
            try augmentation.apply(to: &copy, shape: shape, using: &generator)
            return copy
        }
    }

    @Test func flipsMirrorRowsAndHappenAtTheGivenRate() throws {
        let results = try augment(ImageAugmentation(horizontalFlipProbability: 0.5))
        let mirrored: [Float] = [3, 2, 1, 6, 5, 4, 9, 8, 7]
        #expect(results.allSatisfy { $0 == Self.image || $0 == mirrored })
        let flips = results.filter { $0 == mirrored }.count
        #expect((70...130).contains(flips))
    }

    @Test func shiftsMoveThePictureAndFillTheBorder() throws {
        let results = try augment(ImageAugmentation(maxShift: 1, fillValue: -1), shape: [1, 3, 3])
        // Down one and right one: the top row and left column are new.
        let downRight: [Float] = [-1, -1, -1, -1, 1, 2, -1, 4, 5]
        let upLeft: [Float] = [5, 6, -1, 8, 9, -1, -1, -1, -1]
        #expect(results.contains(downRight))
        #expect(results.contains(upLeft))
        #expect(results.contains(Self.image))
        // Every result is a shift by at most one pixel along each axis: 9 possibilities.
        #expect(Set(results.map { $0.description }).count == 9)
    }

    @Test func contrastKeepsTheMeanAndBrightnessMovesIt() throws {
        for result in try augment(ImageAugmentation(contrast: 0.5)) {
            let mean = result.reduce(0, +) / 9
            #expect(abs(mean - 5) < 1e-4)
            let spread = result[8] - result[0]
            #expect(spread >= 4 - 1e-4 && spread <= 12 + 1e-4)
        }
        for result in try augment(ImageAugmentation(brightness: 0.25, clampRange: 0...9)) {
            let delta = result[4] - 5
            #expect(abs(delta) <= 0.25)
            #expect(result[8] <= 9)
        }
    }

    @Test func theSameGeneratorGivesTheSameImage() throws {
        let augmentation = ImageAugmentation(maxShift: 1, horizontalFlipProbability: 0.5, brightness: 0.1, contrast: 0.2)
        #expect(try augment(augmentation) == augment(augmentation))
    }

    @Test func badSettingsAndShapesAreErrors() {
        var generator = PhiloxGenerator(seed: 0)
        var image = Self.image
        #expect(throws: DataError.self) { try ImageAugmentation(maxShift: -1).apply(to: &image, shape: [3, 3], using: &generator) }
        #expect(throws: DataError.self) { try ImageAugmentation().apply(to: &image, shape: [9], using: &generator) }
        #expect(throws: DataError.self) { try ImageAugmentation().apply(to: &image, shape: [2, 2], using: &generator) }
    }
}

import Testing
import Training

@Suite struct BundledDatasetTests {
    @Test func digitsHaveTheKnownShapeAndClassCounts() throws {
        let digits = try BundledDataset.digits.load()
        #expect(digits.count == 1797)
        #expect(digits.featureShape == [64])
        #expect(digits.classNames == (0...9).map(String.init))
        #expect(digits.classCounts() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
        #expect(digits.features.allSatisfy { $0 >= 0 && $0 <= 16 && $0.rounded() == $0 })
        // The first image is a zero: its top row is 0 0 5 13 9 1 0 0.
        #expect(Array(digits.features(of: 0).prefix(8)) == [0, 0, 5, 13, 9, 1, 0, 0])
        #expect(digits.targets[0] == 0)
        #expect(digits.featureNames.first == "pixel_0_0")
        #expect(digits.info == .digits)
        let images = try digits.withFeatureShape([1, 8, 8])
        #expect(images.featureShape == [1, 8, 8])
    }

    @Test func breastCancerMarksMalignantAsThePositiveClass() throws {
        let cancer = try BundledDataset.breastCancer.load()
        #expect(cancer.count == 569)
        #expect(cancer.featuresPerSample == 30)
        #expect(cancer.classNames == ["benign", "malignant"])
        #expect(cancer.classCounts() == [357, 212])
        #expect(cancer.targets[0] == 1)
        #expect(cancer.features(of: 0).first == 17.99)
        #expect(cancer.featureNames.last == "worst_fractal_dimension")
        #expect(cancer.info?.licence == "CC BY 4.0")
    }

    @Test func diabetesIsARegressionSetOfRawMeasurements() throws {
        let diabetes = try BundledDataset.diabetes.load()
        #expect(diabetes.count == 442)
        #expect(diabetes.task == .regression)
        #expect(diabetes.featureNames == ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"])
        #expect(Array(diabetes.features(of: 0)) == [59, 2, 32.1, 101, 157, 93.2, 38, 4, 4.8598, 87])
        #expect(diabetes.targets.first == 151)
        #expect(diabetes.targets.min() == 25)
        #expect(diabetes.targets.max() == 346)
    }

    @Test(arguments: BundledDataset.allCases)
    func everyDataSetNamesItsSourceAndLicence(_ dataset: BundledDataset) throws {
        let info = dataset.info
        #expect(!info.creators.isEmpty)
        #expect(info.source.hasPrefix("https://"))
        #expect(!info.licence.isEmpty)
        #expect(!info.citation.isEmpty)
        #expect(info.name == dataset.rawValue)
        #expect(try dataset.url().lastPathComponent == info.fileName)
    }
}

import Testing
import Training

@Suite struct DatasetSplitTests {
    /// 30 samples: class 0 × 20, class 1 × 10, feature = sample index.
    static func imbalanced() throws -> Dataset {
        try Dataset(
            features: (0..<30).map(Float.init), featureShape: [1],
            targets: (0..<30).map { $0 % 3 == 2 ? 1 : 0 }, task: .classification(classNames: ["a", "b"]))
    }

    @Test func stratifiedSplitKeepsClassSharesAndCoversEverySampleOnce() throws {
        let data = try Self.imbalanced()
        let split = try data.split(validation: 0.2, test: 0.3, seed: 7)
        #expect(split.testIndices.count == 9)
        #expect(split.validationIndices.count == 6)
        #expect(split.trainIndices.count == 15)
        #expect(split.test.classCounts() == [6, 3])
        #expect(split.validation.classCounts() == [4, 2])
        #expect(split.train.classCounts() == [10, 5])
        let all = (split.trainIndices + split.validationIndices + split.testIndices).sorted()
        #expect(all == Array(0..<30))
        #expect(split.trainIndices == split.trainIndices.sorted())
        #expect(split.train.features == split.trainIndices.map(Float.init))
    }

    @Test func theSameSeedGivesTheSameSplitAndAnotherSeedAnother() throws {
        let data = try Self.imbalanced()
        let first = try data.split(validation: 0.2, test: 0.2, seed: 1)
        let again = try data.split(validation: 0.2, test: 0.2, seed: 1)
        let other = try data.split(validation: 0.2, test: 0.2, seed: 2)
        #expect(first.testIndices == again.testIndices)
        #expect(first.testIndices != other.testIndices)
    }

    @Test func unstratifiedAndRegressionSplitsRoundToWholeSamples() throws {
        let regression = try Dataset(
            features: (0..<11).map(Float.init), featureShape: [1], targets: (0..<11).map(Float.init), task: .regression)
        let split = try regression.split(validation: 0, test: 0.25, seed: 3)
        #expect(split.testIndices.count == 3)
        #expect(split.validation.count == 0)
        #expect(split.train.count == 8)
        #expect(throws: DataError.self) { try regression.split(validation: 0.1, test: 0.1, stratified: true, seed: 0) }
        #expect(throws: DataError.self) { try regression.split(validation: 0.5, test: 0.5, seed: 0) }
        #expect(throws: DataError.invalidArgument(
            op: "Dataset.split", detail: "2 validation and 1 test samples leave none of 3 for training")) {
            try regression.subset([0, 1, 2]).split(validation: 0.5, test: 0.49, seed: 0)
        }
    }

    @Test func stratifiedSplitOfDigitsMatchesClassProportions() throws {
        let digits = try BundledDataset.digits.load()
        let split = try digits.split(validation: 0.1, test: 0.2, seed: 42)
        #expect(split.test.count == 359)
        #expect(split.validation.count == 180)
        for (total, inTest) in zip(digits.classCounts(), split.test.classCounts()) {
            #expect(abs(Double(inTest) - Double(total) * 0.2) < 1)
        }
    }

    @Test func kFoldPartitionsIntoNearlyEqualFolds() throws {
        let data = try Dataset(
            features: (0..<10).map(Float.init), featureShape: [1], targets: (0..<10).map(Float.init), task: .regression)
        let folds = try KFold(k: 3, seed: nil).folds(of: data)
        #expect(folds.map(\.validationIndices) == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]])
        #expect(folds[1].trainIndices == [0, 1, 2, 3, 7, 8, 9])
        let shuffled = try KFold(k: 3, seed: 5).folds(of: data)
        #expect(shuffled.map(\.validationIndices.count) == [4, 3, 3])
        #expect(Set(shuffled.flatMap(\.validationIndices)) == Set(0..<10))
        #expect(shuffled.map(\.validationIndices) != folds.map(\.validationIndices))
    }

    @Test func stratifiedKFoldSpreadsEachClassEvenly() throws {
        let data = try Self.imbalanced()
        let kFold = try KFold(k: 4, stratified: true, seed: 11)
        let folds = try kFold.folds(of: data)
        for fold in folds {
            let counts = try data.subset(fold.validationIndices).classCounts()
            #expect((5...5).contains(counts[0]))
            #expect((2...3).contains(counts[1]))
            #expect(Set(fold.trainIndices).isDisjoint(with: fold.validationIndices))
            #expect(fold.trainIndices.count + fold.validationIndices.count == 30)
        }
        let (train, validation) = try kFold.split(data, fold: 2)
        #expect(train.count + validation.count == 30)
        #expect(throws: DataError.self) { try KFold(k: 1) }
        #expect(throws: DataError.self) { try kFold.split(data, fold: 4) }
    }
}

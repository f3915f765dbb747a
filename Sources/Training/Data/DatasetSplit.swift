import Backend

/// A data set cut into training, validation and test parts, with the sample indices of each.
public struct DatasetSplit: Sendable {
    /// The training part.
    public let train: Dataset
    /// The validation part (may be empty).
    public let validation: Dataset
    /// The test part (may be empty).
    public let test: Dataset
    /// Indices into the original data set, ascending.
    public let trainIndices: [Int]
    /// Indices into the original data set, ascending.
    public let validationIndices: [Int]
    /// Indices into the original data set, ascending.
    public let testIndices: [Int]
}

extension Dataset {
    /// Splits off `validation` and `test` fractions (each rounded to whole samples); the rest is
    /// the training part. Stratified (the default for classification) keeps each class's share
    /// in every part as close as whole samples allow. Which samples go where depends only on
    /// `seed`; each part keeps the original order.
    public func split(validation: Double, test: Double, stratified: Bool? = nil, seed: UInt64) throws -> DatasetSplit {
        guard validation >= 0, test >= 0, validation + test < 1 else {
            throw DataError.invalidArgument(
                op: "Dataset.split", detail: "validation (\(validation)) and test (\(test)) fractions must be ≥ 0 and sum to less than 1")
        }
        let stratify = stratified ?? isClassification
        if stratify, !isClassification {
            throw DataError.invalidArgument(op: "Dataset.split", detail: "a stratified split needs a classification data set")
        }
        let groups = stratify ? indicesByClass() : [Array(0..<count)]
        let testCount = Int((Double(count) * test).rounded())
        let validationCount = Int((Double(count) * validation).rounded())
        guard testCount + validationCount < count else {
            throw DataError.invalidArgument(
                op: "Dataset.split", detail: "\(validationCount) validation and \(testCount) test samples leave none of \(count) for training")
        }
        let sizes = groups.map(\.count)
        let testShares = Apportion.shares(of: testCount, weights: sizes, capacities: sizes)
        let validationShares = Apportion.shares(
            of: validationCount, weights: sizes, capacities: zip(sizes, testShares).map { $0 - $1 })

        var generator = PhiloxGenerator(seed: seed)
        var parts: (train: [Int], validation: [Int], test: [Int]) = ([], [], [])
        for (group, var members) in groups.enumerated() {
            generator.shuffle(&members)
            let testEnd = testShares[group]
            let validationEnd = testEnd + validationShares[group]
            parts.test += members[..<testEnd]
            parts.validation += members[testEnd..<validationEnd]
            parts.train += members[validationEnd...]
        }
        parts.train.sort()
        parts.validation.sort()
        parts.test.sort()
        return DatasetSplit(
            train: try subset(parts.train), validation: try subset(parts.validation), test: try subset(parts.test),
            trainIndices: parts.train, validationIndices: parts.validation, testIndices: parts.test)
    }

    /// The sample indices of each class, ascending (classification only).
    func indicesByClass() -> [[Int]] {
        var groups = [[Int]](repeating: [], count: classCount)
        for (index, target) in targets.enumerated() { groups[Int(target)].append(index) }
        return groups
    }
}

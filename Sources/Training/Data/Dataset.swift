/// What the targets of a data set mean.
public enum DatasetTask: Sendable, Equatable {
    /// Each target is a class index into `classNames`.
    case classification(classNames: [String])
    /// Each target is a real value.
    case regression
}

/// Samples in host memory: features row-major (sample after sample, each of `featureShape`)
/// and one target per sample (a class index or a regression value). The features may instead
/// come from a `SampleSource` that makes them when a batch needs them (image files).
public struct Dataset: Sendable {
    /// All features, row-major: `count × featuresPerSample` values; empty when `source` makes them.
    public let features: [Float]
    /// Makes the features of each sample on demand (nil when `features` holds them).
    public let source: (any SampleSource)?
    /// The shape of one sample's features, e.g. `[64]`, or `[1, 8, 8]` for a one-channel image.
    public let featureShape: [Int]
    /// One target per sample: a class index (as Float) or a regression value.
    public let targets: [Float]
    /// Classification (with the class names) or regression.
    public let task: DatasetTask
    /// A name per feature (e.g. CSV column names); empty when the features have none.
    public let featureNames: [String]
    /// Where the data came from, for the bundled data sets.
    public let info: DatasetInfo?

    /// A data set; throws when the arrays do not fit the shape or a class index is out of range.
    public init(
        features: [Float], featureShape: [Int], targets: [Float], task: DatasetTask,
        featureNames: [String] = [], info: DatasetInfo? = nil
    ) throws {
        guard !featureShape.isEmpty, featureShape.allSatisfy({ $0 > 0 }) else {
            throw DataError.invalidArgument(op: "Dataset", detail: "feature shape \(featureShape) must have positive dimensions")
        }
        let perSample = featureShape.reduce(1, *)
        guard features.count == targets.count * perSample else {
            throw DataError.invalidArgument(
                op: "Dataset",
                detail: "\(features.count) feature values do not fill \(targets.count) samples of shape \(featureShape)")
        }
        guard featureNames.isEmpty || featureNames.count == perSample else {
            throw DataError.invalidArgument(
                op: "Dataset", detail: "\(featureNames.count) feature names for \(perSample) features per sample")
        }
        try Self.checkTargets(targets, task: task)
        self.features = features
        self.source = nil
        self.featureShape = featureShape
        self.targets = targets
        self.task = task
        self.featureNames = featureNames
        self.info = info
    }

    /// A data set whose features `source` makes (one target per sample of the source).
    public init(source: any SampleSource, featureShape: [Int], targets: [Float], task: DatasetTask) throws {
        guard source.count == targets.count else {
            throw DataError.invalidArgument(op: "Dataset", detail: "\(source.count) samples for \(targets.count) targets")
        }
        guard !featureShape.isEmpty, featureShape.allSatisfy({ $0 > 0 }) else {
            throw DataError.invalidArgument(op: "Dataset", detail: "feature shape \(featureShape) must have positive dimensions")
        }
        try Self.checkTargets(targets, task: task)
        self.features = []
        self.source = source
        self.featureShape = featureShape
        self.targets = targets
        self.task = task
        self.featureNames = []
        self.info = nil
    }

    /// Number of samples.
    public var count: Int { targets.count }
    /// Number of feature values per sample (the product of `featureShape`).
    public var featuresPerSample: Int { featureShape.reduce(1, *) }
    /// The class names; empty for regression.
    public var classNames: [String] {
        if case let .classification(classNames) = task { return classNames }
        return []
    }
    /// Number of classes; 0 for regression.
    public var classCount: Int { classNames.count }
    /// Whether the targets are class indices.
    public var isClassification: Bool { classCount > 0 }
    /// The targets as class indices (classification only; regression values are truncated).
    public var classIndices: [Int] { targets.map { Int($0) } }

    /// How many samples each class has (classification; empty for regression).
    public func classCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for target in targets { counts[Int(target)] += 1 }
        return counts
    }

    /// Writes the features of sample `index` into `destination` (`featuresPerSample` values).
    public func writeFeatures(of index: Int, into destination: UnsafeMutableBufferPointer<Float>) throws {
        if let source {
            try source.writeFeatures(of: index, into: destination)
        } else {
            _ = destination.initialize(from: features(of: index))
        }
    }

    /// The features of sample `index` (held ones only: empty when `source` makes them).
    public func features(of index: Int) -> ArraySlice<Float> {
        guard source == nil else { return [] }
        let width = featuresPerSample
        return features[(index * width)..<((index + 1) * width)]
    }

    /// The samples at `indices`, in that order (repeats allowed).
    public func subset(_ indices: [Int]) throws -> Dataset {
        if let bad = indices.first(where: { !(0..<count).contains($0) }) {
            throw DataError.invalidArgument(op: "Dataset.subset", detail: "index \(bad) is outside 0..<\(count)")
        }
        if let source {
            return try Dataset(source: source.subset(indices), featureShape: featureShape, targets: indices.map { targets[$0] }, task: task)
        }
        let width = featuresPerSample
        var newFeatures = [Float]()
        newFeatures.reserveCapacity(indices.count * width)
        for index in indices { newFeatures.append(contentsOf: features(of: index)) }
        return try replacing(features: newFeatures, targets: indices.map { targets[$0] })
    }

    /// The same samples seen with another feature shape of the same size, e.g. `[64]` → `[1, 8, 8]`.
    public func withFeatureShape(_ shape: [Int]) throws -> Dataset {
        guard shape.reduce(1, *) == featuresPerSample, shape.allSatisfy({ $0 > 0 }) else {
            throw DataError.invalidArgument(
                op: "Dataset.withFeatureShape", detail: "cannot view features of shape \(featureShape) as \(shape)")
        }
        if let source { return try Dataset(source: source, featureShape: shape, targets: targets, task: task) }
        return try Dataset(
            features: features, featureShape: shape, targets: targets, task: task,
            featureNames: featureNames, info: info)
    }

    /// The same data set with other features (same shape) and, optionally, other targets.
    public func replacing(features newFeatures: [Float], targets newTargets: [Float]? = nil) throws -> Dataset {
        try Dataset(
            features: newFeatures, featureShape: featureShape, targets: newTargets ?? targets, task: task,
            featureNames: featureNames, info: info)
    }

    /// Throws unless a classification task has class names and every target is a class index.
    private static func checkTargets(_ targets: [Float], task: DatasetTask) throws {
        guard case let .classification(classNames) = task else { return }
        guard !classNames.isEmpty else {
            throw DataError.invalidArgument(op: "Dataset", detail: "a classification data set needs at least one class name")
        }
        if let bad = targets.firstIndex(where: { Self.classIndex($0, classCount: classNames.count) == nil }) {
            throw DataError.invalidArgument(
                op: "Dataset",
                detail: "target \(targets[bad]) of sample \(bad) is not a class index in 0..<\(classNames.count)")
        }
    }

    /// `value` as a class index in `0..<classCount`, or nil when it is not one.
    static func classIndex(_ value: Float, classCount: Int) -> Int? {
        guard value.isFinite, value.rounded() == value, value >= 0, value < Float(classCount) else { return nil }
        return Int(value)
    }
}

/// A per-feature affine map fitted on training data: `y = (x − center) / scale + offset`.
/// Fit it on the training part only and apply the same fitted scaler to every other part.
public protocol FeatureScaler: Sendable {
    /// Subtracted from each feature first (one per feature).
    var centers: [Float] { get }
    /// Each centred feature is divided by this (one per feature, never zero).
    var scales: [Float] { get }
    /// Added last (the same for every feature).
    var offset: Float { get }
}

extension FeatureScaler {
    /// Number of features the scaler was fitted on.
    public var featureCount: Int { centers.count }

    /// Scales rows of `featureCount` values.
    public func transform(_ values: [Float]) throws -> [Float] {
        try check(values, op: "transform")
        return values.enumerated().map { index, value in
            let feature = index % centers.count
            return (value - centers[feature]) / scales[feature] + offset
        }
    }

    /// Undoes `transform`.
    public func inverseTransform(_ values: [Float]) throws -> [Float] {
        try check(values, op: "inverseTransform")
        return values.enumerated().map { index, value in
            let feature = index % centers.count
            return (value - offset) * scales[feature] + centers[feature]
        }
    }

    /// The data set with its features scaled.
    public func transform(_ dataset: Dataset) throws -> Dataset {
        guard dataset.featuresPerSample == featureCount else {
            throw DataError.invalidArgument(
                op: "\(Self.self).transform",
                detail: "the scaler was fitted on \(featureCount) features, the data set has \(dataset.featuresPerSample)")
        }
        return try dataset.replacing(features: transform(dataset.features))
    }

    private func check(_ values: [Float], op: String) throws {
        guard values.count % centers.count == 0 else {
            throw DataError.invalidArgument(
                op: "\(Self.self).\(op)", detail: "\(values.count) values are not rows of \(centers.count) features")
        }
    }
}

/// Per-feature statistics of rows of `width` values, accumulated in Double.
struct FeatureStatistics {
    var minimums: [Double]
    var maximums: [Double]
    var means: [Double]
    var standardDeviations: [Double]

    init(_ values: [Float], width: Int, op: String) throws {
        guard width > 0, !values.isEmpty, values.count % width == 0 else {
            throw DataError.invalidArgument(op: op, detail: "cannot fit on \(values.count) values in rows of \(width)")
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw DataError.invalidArgument(op: op, detail: "value \(values[bad]) at row \(bad / width), feature \(bad % width) is not finite")
        }
        let rows = Double(values.count / width)
        minimums = [Double](repeating: .infinity, count: width)
        maximums = [Double](repeating: -.infinity, count: width)
        var sums = [Double](repeating: 0, count: width)
        for (index, value) in values.enumerated() {
            let feature = index % width
            minimums[feature] = min(minimums[feature], Double(value))
            maximums[feature] = max(maximums[feature], Double(value))
            sums[feature] += Double(value)
        }
        means = sums.map { $0 / rows }
        var squares = [Double](repeating: 0, count: width)
        for (index, value) in values.enumerated() {
            let deviation = Double(value) - means[index % width]
            squares[index % width] += deviation * deviation
        }
        standardDeviations = squares.map { ($0 / rows).squareRoot() }
    }
}

/// Maps each feature's fitted minimum and maximum to the ends of `range` (by default [0, 1]).
/// Values outside the fitted extremes land outside the range; a constant feature maps to the
/// lower end.
public struct MinMaxScaler: FeatureScaler, Equatable {
    /// The fitted minimums.
    public let centers: [Float]
    /// (maximum − minimum) / range width, per feature (1 where a feature is constant).
    public let scales: [Float]
    /// The lower end of the target range.
    public let offset: Float

    /// Fits on the features of `dataset`.
    public static func fit(_ dataset: Dataset, to range: ClosedRange<Float> = 0...1) throws -> MinMaxScaler {
        try fit(dataset.features, featureCount: dataset.featuresPerSample, to: range)
    }

    /// Fits on rows of `featureCount` values.
    public static func fit(_ values: [Float], featureCount: Int, to range: ClosedRange<Float> = 0...1) throws -> MinMaxScaler {
        guard range.upperBound > range.lowerBound else {
            throw DataError.invalidArgument(op: "MinMaxScaler.fit", detail: "the target range \(range) is empty")
        }
        let statistics = try FeatureStatistics(values, width: featureCount, op: "MinMaxScaler.fit")
        let width = Double(range.upperBound - range.lowerBound)
        return MinMaxScaler(
            centers: statistics.minimums.map { Float($0) },
            scales: zip(statistics.minimums, statistics.maximums).map { $1 > $0 ? Float(($1 - $0) / width) : 1 },
            offset: range.lowerBound)
    }

    private init(centers: [Float], scales: [Float], offset: Float) {
        self.centers = centers
        self.scales = scales
        self.offset = offset
    }
}

/// Scales each feature to mean 0 and standard deviation 1 (population deviation, as fitted on
/// the training part). A constant feature is only centred.
public struct StandardScaler: FeatureScaler, Equatable {
    /// The fitted means.
    public let centers: [Float]
    /// The fitted standard deviations (1 where a feature is constant).
    public let scales: [Float]
    /// Always 0.
    public let offset: Float = 0

    /// Fits on the features of `dataset`.
    public static func fit(_ dataset: Dataset) throws -> StandardScaler {
        try fit(dataset.features, featureCount: dataset.featuresPerSample)
    }

    /// Fits on rows of `featureCount` values (e.g. regression targets with `featureCount: 1`).
    public static func fit(_ values: [Float], featureCount: Int) throws -> StandardScaler {
        let statistics = try FeatureStatistics(values, width: featureCount, op: "StandardScaler.fit")
        return StandardScaler(
            centers: statistics.means.map { Float($0) },
            scales: statistics.standardDeviations.map { $0 > 0 ? Float($0) : 1 })
    }

    private init(centers: [Float], scales: [Float]) {
        self.centers = centers
        self.scales = scales
    }
}

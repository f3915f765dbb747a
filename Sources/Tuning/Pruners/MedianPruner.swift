/// Prunes a trial whose best intermediate value so far is worse than the median of the complete
/// trials' values at the same step: `PercentilePruner` at the 50th percentile.
public struct MedianPruner: Pruner {
    private let percentile: PercentilePruner

    public init(startupTrials: Int = 5, warmupSteps: Int = 0, intervalSteps: Int = 1, minimumTrials: Int = 1) throws {
        percentile = try PercentilePruner(
            percentile: 50, startupTrials: startupTrials, warmupSteps: warmupSteps,
            intervalSteps: intervalSteps, minimumTrials: minimumTrials)
    }

    public func shouldPrune(_ request: PruningRequest) -> Bool {
        percentile.shouldPrune(request)
    }
}

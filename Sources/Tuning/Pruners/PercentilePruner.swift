/// Prunes a trial whose best intermediate value so far is worse than the given percentile of
/// the complete trials' values at the same step (the 50th percentile is the median pruner).
///
/// - `startupTrials`: no pruning until this many trials are complete.
/// - `warmupSteps`: no pruning before this step (early epochs are noisy).
/// - `intervalSteps`: decide only every this many steps after the warm-up.
/// - `minimumTrials`: no pruning at a step fewer complete trials have reached.
public struct PercentilePruner: Pruner {
    /// In 0...100; lower prunes more (25 keeps only trials in the best quarter).
    public var percentile: Double
    public var startupTrials: Int
    public var warmupSteps: Int
    public var intervalSteps: Int
    public var minimumTrials: Int

    public init(percentile: Double, startupTrials: Int = 5, warmupSteps: Int = 0, intervalSteps: Int = 1, minimumTrials: Int = 1) throws {
        guard (0...100).contains(percentile) else {
            throw TuningError.invalidSettings(component: "percentile pruner", reason: "percentile \(percentile) is outside 0...100")
        }
        guard startupTrials >= 0, warmupSteps >= 0, intervalSteps >= 1, minimumTrials >= 1 else {
            throw TuningError.invalidSettings(
                component: "percentile pruner", reason: "startup trials and warm-up steps must be ≥ 0, interval and minimum trials ≥ 1")
        }
        self.percentile = percentile
        self.startupTrials = startupTrials
        self.warmupSteps = warmupSteps
        self.intervalSteps = intervalSteps
        self.minimumTrials = minimumTrials
    }

    public func shouldPrune(_ request: PruningRequest) -> Bool {
        guard let step = request.step, step >= warmupSteps, (step - warmupSteps) % intervalSteps == 0 else { return false }
        let complete = request.history.filter { $0.state == .complete && $0.number != request.trial.number }
        guard complete.count >= startupTrials else { return false }
        let others = complete.compactMap { $0.intermediateValues[step] }.map(request.direction.loss)
        guard others.count >= minimumTrials,
              let best = request.trial.intermediateValues.values.map(request.direction.loss).min()
        else { return false }
        return best > Self.percentile(percentile, of: others)
    }

    /// The p-th percentile with linear interpolation between order statistics.
    static func percentile(_ p: Double, of values: [Double]) -> Double {
        let sorted = values.sorted()
        let position = p / 100 * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = Int(position.rounded(.up))
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }
}

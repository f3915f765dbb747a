/// Asynchronous successive halving (ASHA, Li et al. 2020): rungs at steps
/// `minimumResource · η^(s + k)` for k = 0, 1, 2, ... When a trial first reports at or past a
/// rung, it goes on only if its value there is among the best 1/η of all values recorded at that
/// rung so far (by any trial, itself included; with fewer than η, only the best goes on).
/// Nobody waits for a full rung, so workers never idle.
///
/// A trial's value at a rung is its intermediate value at the first step it reported at or past
/// the rung. Each rung is decided once, when the trial reaches it.
public struct SuccessiveHalvingPruner: Pruner {
    public var minimumResource: Int
    /// η: the fraction 1/η of trials at a rung is promoted.
    public var reductionFactor: Int
    /// s: skips the first s rungs (Hyperband's brackets differ by s).
    public var minimumEarlyStoppingRate: Int

    public init(minimumResource: Int = 1, reductionFactor: Int = 3, minimumEarlyStoppingRate: Int = 0) throws {
        guard minimumResource >= 1, reductionFactor >= 2, minimumEarlyStoppingRate >= 0 else {
            throw TuningError.invalidSettings(
                component: "successive-halving pruner",
                reason: "needs minimum resource ≥ 1, reduction factor ≥ 2, minimum early-stopping rate ≥ 0")
        }
        self.minimumResource = minimumResource
        self.reductionFactor = reductionFactor
        self.minimumEarlyStoppingRate = minimumEarlyStoppingRate
    }

    public func shouldPrune(_ request: PruningRequest) -> Bool {
        shouldPrune(request, competitors: request.history)
    }

    /// Decides against the given trials only (Hyperband passes those of the trial's bracket).
    func shouldPrune(_ request: PruningRequest, competitors: [TrialRecord]) -> Bool {
        let steps = request.trial.intermediateValues.keys.sorted()
        guard let step = steps.last else { return false }
        let previous = steps.dropLast().last ?? Int.min
        // The first rung past the previous report: the one this report may have reached.
        var k = 0
        while rung(k) <= previous, rung(k) < Int.max { k += 1 }
        let rungStep = rung(k)
        guard rungStep <= step, let value = Self.value(of: request.trial, atRung: rungStep) else { return false }
        let own = request.direction.loss(value)
        var losses = competitors.compactMap { trial -> Double? in
            guard trial.number != request.trial.number, trial.state != .fail else { return nil }
            return Self.value(of: trial, atRung: rungStep).map(request.direction.loss)
        }
        losses.append(own)
        losses.sort()
        let promotable = max(losses.count / reductionFactor - 1, 0)
        return own > losses[promotable]
    }

    /// The step of rung k (saturating at `Int.max`).
    func rung(_ k: Int) -> Int {
        var step = minimumResource
        let (rungs, rungsOverflow) = minimumEarlyStoppingRate.addingReportingOverflow(k)
        if rungsOverflow { return Int.max }
        for _ in 0..<rungs {
            let (product, overflow) = step.multipliedReportingOverflow(by: reductionFactor)
            if overflow { return Int.max }
            step = product
        }
        return step
    }

    /// The intermediate value at the first step at or past `rungStep`.
    static func value(of trial: TrialRecord, atRung rungStep: Int) -> Double? {
        trial.intermediateValues.filter { $0.key >= rungStep }.min { $0.key < $1.key }?.value
    }
}

import Foundation

/// Tree-structured Parzen Estimator (Bergstra et al., 2011): after `startupTrials` random
/// trials, splits the observed trials into the best `γ(n) = min(⌈0.1 n⌉, 25)` ("below") and the
/// rest ("above"), fits a Parzen estimator l(x) to the first and g(x) to the second, draws
/// `candidates` points from l and keeps the one maximising l(x)/g(x).
///
/// - Kernel bandwidths follow the gaps between neighbouring observations in each dimension,
///   floored at range / min(100, n + 2) ("magic clip"); a broad prior kernel keeps exploring.
/// - `multivariate`: parameters that exist under the same condition are modelled jointly (one
///   kernel per observation over all of them), which captures interactions; otherwise each
///   parameter has its own estimator.
/// - Conditional parameters are modelled only from the trials in which they exist.
/// - Pruned trials count, ranked below every complete trial and among themselves by how far they
///   got and their last value.
/// - `constantLiar`: running trials count as "above" (as if they had the worst value), so
///   parallel workers do not all propose the same point.
/// - Several `directions`: the multi-objective TPE (MOTPE) of `TPESampler+MultiObjective.swift`
///   ranks trials by Pareto front and weighs good ones by hypervolume contribution.
public struct TPESampler: Sampler {
    public var startupTrials: Int
    public var candidates: Int
    public var multivariate: Bool
    public var constantLiar: Bool
    /// Weight of the prior kernel relative to one observation.
    public var priorWeight: Double
    /// The study's directions when it has several objectives; empty (or one) for the request's
    /// single direction.
    public var directions: [StudyDirection]

    public init(startupTrials: Int = 10, candidates: Int = 24, multivariate: Bool = true,
                constantLiar: Bool = true, priorWeight: Double = 1.0, directions: [StudyDirection] = []) {
        self.directions = directions
        self.startupTrials = startupTrials
        self.candidates = candidates
        self.multivariate = multivariate
        self.constantLiar = constantLiar
        self.priorWeight = priorWeight
    }

    public func validate(for space: SearchSpace) throws {
        guard candidates >= 1, startupTrials >= 0, priorWeight > 0 else {
            throw TuningError.invalidSettings(component: "TPE sampler", reason: "candidates must be ≥ 1, startup trials ≥ 0, prior weight > 0")
        }
    }

    public func sample(_ request: SamplingRequest) throws -> [String: ParameterValue] {
        try validate(for: request.space)
        var random = request.random(stream: SamplerStream.tpe)
        let observed = request.completed.count + Self.rankPruned(request.history, direction: request.direction).count
        guard observed >= max(startupTrials, 1) else {
            return request.configuration { parameter, _ in parameter.distribution.value(fromUnit: random.uniform()) }
        }
        let (below, observedAbove) = directions.count > 1 ? Self.paretoSplit(request, directions: directions) : Self.split(request)
        let above = (constantLiar ? observedAbove + request.pending : observedAbove)
            .sorted { $0.number < $1.number }.map { (trial: $0, weight: 1.0) }

        let settings = ParzenEstimator.Settings(priorWeight: priorWeight, magicClip: true)
        var chosen = request.fixed
        for group in groups(of: request.space) {
            let active = group.filter {
                chosen[$0.name] == nil && request.space.isActive($0, given: chosen)
            }
            guard !active.isEmpty else { continue }
            let belowPoints = Self.points(of: below, over: active)
            let abovePoints = Self.points(of: above, over: active)
            let belowWeights = directions.count > 1 ? belowPoints.map(\.weight) : Self.weights(belowPoints.count)
            let l = ParzenEstimator(
                parameters: active, observations: belowPoints.map(\.point), observationWeights: belowWeights, settings: settings)
            let g = ParzenEstimator(
                parameters: active, observations: abovePoints.map(\.point), observationWeights: Self.weights(abovePoints.count),
                settings: settings)
            let drawn = l.sample(count: candidates, using: &random)
            let scores = zip(l.logDensity(drawn), g.logDensity(drawn)).map { $0 - $1 }
            let best = drawn[scores.indices.max { scores[$0] < scores[$1] } ?? 0]
            for (parameter, x) in zip(active, best) {
                chosen[parameter.name] = parameter.distribution.value(fromInternal: x)
            }
        }
        return request.configuration { parameter, _ in
            chosen[parameter.name] ?? parameter.distribution.value(fromUnit: random.uniform())
        }
    }

    /// The searched parameters in modelling groups, in declaration order: one group per condition
    /// when multivariate, else one per parameter.
    private func groups(of space: SearchSpace) -> [[Parameter]] {
        let searched = space.searchedParameters
        guard multivariate else { return searched.map { [$0] } }
        var groups: [(condition: Condition?, members: [Parameter])] = []
        for parameter in searched {
            if let index = groups.firstIndex(where: { $0.condition == parameter.condition }) {
                groups[index].members.append(parameter)
            } else {
                groups.append((parameter.condition, [parameter]))
            }
        }
        return groups.map(\.members)
    }

    /// The single-objective split: the best `belowCount` of the ranked trials (weight 1 each,
    /// by age in `weights`) and the rest, each in trial order.
    private static func split(_ request: SamplingRequest) -> (below: [(trial: TrialRecord, weight: Double)], above: [TrialRecord]) {
        let ranked = rank(request)
        let count = belowCount(ranked.count)
        let below = ranked.prefix(count).sorted { $0.number < $1.number }.map { (trial: $0, weight: 1.0) }
        return (below, ranked.dropFirst(count).sorted { $0.number < $1.number })
    }

    /// How many of `observed` trials are "below": γ(n) = min(⌈0.1 n⌉, 25).
    static func belowCount(_ observed: Int) -> Int {
        min(Int((0.1 * Double(observed)).rounded(.up)), 25)
    }

    /// Complete trials by loss, then pruned trials.
    private static func rank(_ request: SamplingRequest) -> [TrialRecord] {
        request.completed.sorted { $0.loss < $1.loss }.map(\.trial) + rankPruned(request.history, direction: request.direction)
    }

    /// Pruned trials, further first, then by their last value under `direction`.
    static func rankPruned(_ history: [TrialRecord], direction: StudyDirection) -> [TrialRecord] {
        let pruned: [(trial: TrialRecord, step: Int, loss: Double)] = history.compactMap { trial in
            guard trial.state == .pruned, let step = trial.lastStep, let value = trial.intermediateValues[step] else { return nil }
            return (trial, step, direction.loss(value))
        }
        return pruned.sorted { ($0.step, -$0.loss) > ($1.step, -$1.loss) }.map(\.trial)
    }

    /// The trials' internal values for `parameters` with their weights, skipping trials that
    /// lack any of them.
    private static func points(
        of trials: [(trial: TrialRecord, weight: Double)], over parameters: [Parameter]
    ) -> [(point: [Double], weight: Double)] {
        trials.compactMap { trial, weight in
            var point: [Double] = []
            for parameter in parameters {
                guard let value = trial.params[parameter.name],
                      let x = parameter.distribution.internalValue(of: value) else { return nil }
                point.append(x)
            }
            return (point, weight)
        }
    }

    /// Observation weights, oldest first: equal up to 25 observations; beyond that the older
    /// ones ramp up linearly from 1/n, and the newest 25 weigh 1.
    static func weights(_ count: Int) -> [Double] {
        guard count >= 25 else { return Array(repeating: 1, count: count) }
        let rampCount = count - 25
        let ramp = (0..<rampCount).map { i in
            rampCount == 1 ? 1.0 / Double(count) : 1.0 / Double(count) + (1 - 1.0 / Double(count)) * Double(i) / Double(rampCount - 1)
        }
        return ramp + Array(repeating: 1, count: 25)
    }
}

import Foundation

/// Bayesian optimisation with a Gaussian process, for small budgets (tens to hundreds of trials)
/// where each trial is expensive: after `startupTrials` trials from a scrambled Sobol sequence,
/// fits a GP (Matérn-5/2 kernel with a length scale per dimension and, where the trials call for
/// it, one oblique direction; hyperparameters of highest posterior under weak priors, from several
/// starts) to the losses, warped by a map chosen from the
/// data (`LossWarping`) and scaled about the worst of them (the model's prior mean: a region no
/// trial has reached is expected to be as bad as the worst trial), and proposes the
/// point of highest log expected improvement (`GPAcquisitionSearch`: random and local candidates,
/// gradient refinement, then discrete moves for integers and categoricals).
///
/// Parameters are encoded into [0, 1]: numeric ones on their internal (log for log-scaled) axis,
/// categoricals one-hot; an inactive conditional parameter takes a fixed code. Running trials
/// enter the model at the worst observed loss (a constant liar), so parallel workers spread out.
/// A proposal costs O(m³) for the m ≤ `maximumModelTrials` trials the model is fitted to: past
/// that many, the best half of them and an even random draw of the others.
public struct GPSampler: Sampler {
    public var startupTrials: Int
    /// Random points scored before local refinement.
    public var candidates: Int
    /// The most trials the model is fitted to.
    public var maximumModelTrials: Int
    /// Whether the kernel may also learn one oblique direction (`GaussianProcess.Oblique`), for
    /// losses that change fast across the axes; kept only where the trials clearly call for it.
    public var oblique: Bool

    public init(startupTrials: Int = 10, candidates: Int = 1024, maximumModelTrials: Int = 256, oblique: Bool = true) {
        self.startupTrials = startupTrials
        self.candidates = candidates
        self.maximumModelTrials = maximumModelTrials
        self.oblique = oblique
    }

    public func validate(for space: SearchSpace) throws {
        guard startupTrials >= 0, candidates >= 1, maximumModelTrials >= 2 else {
            throw TuningError.invalidSettings(
                component: "GP sampler", reason: "startup trials must be ≥ 0, candidates ≥ 1 and model trials ≥ 2")
        }
    }

    public func sample(_ request: SamplingRequest) throws -> [String: ParameterValue] {
        try validate(for: request.space)
        var random = request.random(stream: SamplerStream.gaussianProcess)
        let encoding = Encoding(space: request.space, fixed: request.fixed)
        let observed = modelled(request.completed, random: &random)
        guard observed.count >= max(startupTrials, 2), !encoding.searched.isEmpty else {
            return try Self.startupConfiguration(request, random: &random)
        }
        var inputs = observed.map { encoding.features(of: $0.trial.params) }
        let warping = LossWarping.choose(losses: observed.map(\.loss), inputs: inputs, random: &random)
        let losses = observed.map { warping($0.loss) }
        let worst = losses.max() ?? 0
        var targets = losses
        for trial in request.pending {
            inputs.append(encoding.features(of: trial.params))
            targets.append(worst)
        }
        // Centred on the worst loss: the GP's prior mean, which it reverts to far from the
        // trials, is then the worst loss seen, as for the running trials above.
        let (standardised, spread) = Self.standardised(targets, around: worst)
        let best = ((losses.min() ?? 0) - worst) / spread

        guard let process = GaussianProcess.fit(inputs: inputs, targets: standardised, oblique: oblique, random: &random) else {
            return request.configuration { parameter, _ in parameter.distribution.value(fromUnit: random.uniform()) }
        }
        // Random candidates, and perturbations of the best observed points.
        let spreadPool = (0..<candidates).map { _ in encoding.randomGenome(using: &random) }
        let elite = observed.sorted { $0.loss < $1.loss }.prefix(5).map { encoding.genome(of: $0.trial.params) }
        var localPool: [[Double]] = []
        for genome in elite {
            for _ in 0..<(candidates / 16) {
                localPool.append(encoding.perturb(genome, scale: 0.1, using: &random))
            }
        }
        let search = GPAcquisitionSearch(process: process, encoding: encoding, best: best)
        let taken = Set((request.completed.map(\.trial) + request.pending).map { encoding.genome(of: $0.params) })
        let chosen = encoding.decode(search.search(spread: spreadPool, local: localPool, starts: Array(elite.prefix(1)), taken: taken))
        return request.configuration { parameter, _ in
            chosen[parameter.name] ?? parameter.distribution.value(fromUnit: random.uniform())
        }
    }

    /// A configuration before the model takes over: the trial number's point of the study's
    /// scrambled Sobol sequence, which covers the space more evenly than independent random
    /// points (no clusters, no large holes), so the first model sees every region; a random
    /// point where the space has more dimensions than the Sobol table.
    static func startupConfiguration(_ request: SamplingRequest, random: inout SeededRandom) throws -> [String: ParameterValue] {
        if request.space.searchedParameters.count <= SobolDirectionNumbers.maximumDimensions {
            return try SobolSampler().sample(request)
        }
        return request.configuration { parameter, _ in parameter.distribution.value(fromUnit: random.uniform()) }
    }

    /// The complete trials the model is fitted to: all of them up to `maximumModelTrials`, else
    /// the best half of that many and a random draw of the others.
    private func modelled(
        _ completed: [(trial: TrialRecord, loss: Double)], random: inout SeededRandom
    ) -> [(trial: TrialRecord, loss: Double)] {
        guard completed.count > maximumModelTrials else { return completed }
        let ranked = completed.sorted { ($0.loss, $0.trial.number) < ($1.loss, $1.trial.number) }
        let bestCount = maximumModelTrials / 2
        var others = Array(ranked.dropFirst(bestCount))
        for index in 0..<(maximumModelTrials - bestCount) {
            others.swapAt(index, index + random.index(below: others.count - index))
        }
        return Array(ranked.prefix(bestCount)) + others.prefix(maximumModelTrials - bestCount)
    }
}

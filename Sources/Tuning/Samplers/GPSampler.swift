import Foundation

/// Bayesian optimisation with a Gaussian process, for small budgets (tens of trials) where each
/// trial is expensive: after `startupTrials` random trials, fits a GP (Matérn-5/2 kernel with a
/// length scale per dimension, hyperparameters by maximum marginal likelihood) to the
/// standardised losses and proposes the point of highest log expected improvement.
///
/// Parameters are encoded into [0, 1]: numeric ones on their internal (log for log-scaled) axis,
/// categoricals one-hot; an inactive conditional parameter takes a fixed code. Running trials
/// enter the model at the worst observed loss (a constant liar), so parallel workers spread out.
/// Each proposal costs O(n³) in the number of trials n.
public struct GPSampler: Sampler {
    public var startupTrials: Int
    /// Random points scored before local refinement.
    public var candidates: Int

    public init(startupTrials: Int = 10, candidates: Int = 1024) {
        self.startupTrials = startupTrials
        self.candidates = candidates
    }

    public func validate(for space: SearchSpace) throws {
        guard startupTrials >= 0, candidates >= 1 else {
            throw TuningError.invalidSettings(component: "GP sampler", reason: "startup trials must be ≥ 0 and candidates ≥ 1")
        }
    }

    public func sample(_ request: SamplingRequest) throws -> [String: ParameterValue] {
        try validate(for: request.space)
        var random = request.random(stream: SamplerStream.gaussianProcess)
        let encoding = Encoding(space: request.space, fixed: request.fixed)
        let observed = request.completed
        guard observed.count >= max(startupTrials, 2), !encoding.searched.isEmpty else {
            return request.configuration { parameter, _ in parameter.distribution.value(fromUnit: random.uniform()) }
        }
        let losses = observed.map(\.loss)
        let worst = losses.max() ?? 0
        var inputs = observed.map { encoding.features(of: $0.trial.params) }
        var targets = losses
        for trial in request.pending {
            inputs.append(encoding.features(of: trial.params))
            targets.append(worst)
        }
        let mean = targets.reduce(0, +) / Double(targets.count)
        let spread = max((targets.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(targets.count)).squareRoot(), 1e-12)
        let standardised = targets.map { ($0 - mean) / spread }
        let best = ((losses.min() ?? 0) - mean) / spread

        guard let process = GaussianProcess.fit(inputs: inputs, targets: standardised, random: &random) else {
            return request.configuration { parameter, _ in parameter.distribution.value(fromUnit: random.uniform()) }
        }
        func score(_ genome: [Double]) -> Double {
            let (mu, variance) = process.predict(encoding.features(of: encoding.decode(genome)))
            return Normal.logExpectedImprovement(mean: mu, sigma: variance.squareRoot(), best: best)
        }

        // Random candidates, plus perturbations of the best observed points.
        var pool = (0..<candidates).map { _ in encoding.randomGenome(using: &random) }
        let elite = observed.sorted { $0.loss < $1.loss }.prefix(5).map { encoding.genome(of: $0.trial.params) }
        for genome in elite {
            for _ in 0..<(candidates / 16) {
                pool.append(encoding.perturb(genome, scale: 0.1, using: &random))
            }
        }
        var scored = pool.map { ($0, score($0)) }.sorted { $0.1 > $1.1 }
        // Local refinement of the three best: accept improving perturbations, shrink otherwise.
        for index in 0..<min(3, scored.count) {
            var (genome, value) = scored[index]
            var scale = 0.05
            for _ in 0..<40 where scale > 1e-4 {
                let candidate = encoding.perturb(genome, scale: scale, using: &random)
                let candidateValue = score(candidate)
                if candidateValue > value {
                    (genome, value) = (candidate, candidateValue)
                } else {
                    scale *= 0.7
                }
            }
            scored[index] = (genome, value)
        }
        let chosen = encoding.decode(scored.max { $0.1 < $1.1 }?.0 ?? pool[0])
        return request.configuration { parameter, _ in
            chosen[parameter.name] ?? parameter.distribution.value(fromUnit: random.uniform())
        }
    }
}

extension GPSampler {
    /// The map between configurations, genomes (one number per searched parameter: a unit-axis
    /// position or a choice index) and GP features (unit positions and one-hot choices).
    struct Encoding {
        let space: SearchSpace
        let fixed: [String: ParameterValue]
        /// Parameters the sampler decides (not fixed by distribution or by the request).
        let searched: [Parameter]

        init(space: SearchSpace, fixed: [String: ParameterValue]) {
            self.space = space
            self.fixed = fixed
            searched = space.searchedParameters.filter { fixed[$0.name] == nil }
        }

        func features(of params: [String: ParameterValue]) -> [Double] {
            var features: [Double] = []
            for parameter in searched {
                let value = params[parameter.name]
                if parameter.distribution.isNumeric {
                    features.append(value.flatMap { parameter.distribution.unitValue(of: $0) }.map { min(max($0, 0), 1) } ?? 0.5)
                } else {
                    let index = value.flatMap { parameter.distribution.choiceIndex(of: $0) }
                    features += (0..<parameter.distribution.choiceCount).map { $0 == index ? 1 : 0 }
                }
            }
            return features
        }

        func genome(of params: [String: ParameterValue]) -> [Double] {
            searched.map { parameter in
                guard let value = params[parameter.name] else { return 0.5 }
                if parameter.distribution.isNumeric { return parameter.distribution.unitValue(of: value) ?? 0.5 }
                return Double(parameter.distribution.choiceIndex(of: value) ?? 0)
            }
        }

        func decode(_ genome: [Double]) -> [String: ParameterValue] {
            let genes = Dictionary(uniqueKeysWithValues: zip(searched.map(\.name), genome))
            return space.configuration { parameter, _ in
                if let value = fixed[parameter.name] { return value }
                let gene = genes[parameter.name] ?? 0.5
                if parameter.distribution.isNumeric { return parameter.distribution.value(fromUnit: min(max(gene, 0), 1 - 1e-12)) }
                return parameter.distribution.value(fromInternal: gene)
            }
        }

        func randomGenome(using random: inout SeededRandom) -> [Double] {
            searched.map { parameter in
                parameter.distribution.isNumeric
                    ? random.uniform() : Double(random.index(below: parameter.distribution.choiceCount))
            }
        }

        /// Gaussian steps of size `scale` on numeric genes; each choice switches with probability `scale`.
        func perturb(_ genome: [Double], scale: Double, using random: inout SeededRandom) -> [Double] {
            zip(searched, genome).map { parameter, gene in
                if parameter.distribution.isNumeric { return min(max(gene + scale * random.gaussian(), 0), 1) }
                return random.uniform() < scale ? Double(random.index(below: parameter.distribution.choiceCount)) : gene
            }
        }
    }
}

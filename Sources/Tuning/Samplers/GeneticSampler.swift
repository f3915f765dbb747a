/// A steady-state genetic algorithm: the population is the `populationSize` best complete
/// trials; each new trial is a child of two parents picked by tournament (the best of
/// `tournamentSize` random members), mixed by crossover and then mutated. The first
/// `populationSize` trials are random.
///
/// Genes are positions on each parameter's unit axis (so log-scaled parameters mix in log space)
/// and categorical choices. Crossover takes each gene from either parent, or for numbers blends
/// them (BLX-α, which can step a little beyond both); mutation moves a number by a Gaussian step
/// or redraws a choice. A conditional parameter inherits from whichever parent has it, and is
/// drawn at random when neither does. A child that repeats an evaluated or running configuration
/// is mutated again, so parallel workers do not evaluate the same point twice.
public struct GeneticSampler: Sampler {
    public var populationSize: Int
    public var tournamentSize: Int
    /// Probability that a child mixes its parents (else it copies the first).
    public var crossoverRate: Double
    /// Probability that a gene mutates; `nil` means 1 / number of parameters.
    public var mutationRate: Double?
    /// Standard deviation of a numeric mutation, on the unit axis.
    public var mutationScale: Double

    public init(populationSize: Int = 16, tournamentSize: Int = 3, crossoverRate: Double = 0.9,
                mutationRate: Double? = nil, mutationScale: Double = 0.1) {
        self.populationSize = populationSize
        self.tournamentSize = tournamentSize
        self.crossoverRate = crossoverRate
        self.mutationRate = mutationRate
        self.mutationScale = mutationScale
    }

    public func validate(for space: SearchSpace) throws {
        guard populationSize >= 2, tournamentSize >= 1, (0...1).contains(crossoverRate), mutationScale > 0,
              (mutationRate.map { (0...1).contains($0) } ?? true)
        else {
            throw TuningError.invalidSettings(
                component: "genetic sampler",
                reason: "needs population ≥ 2, tournament ≥ 1, crossover and mutation rates in [0, 1], mutation scale > 0")
        }
    }

    public func sample(_ request: SamplingRequest) throws -> [String: ParameterValue] {
        try validate(for: request.space)
        var random = request.random(stream: SamplerStream.genetic)
        let completed = request.completed
        guard completed.count >= populationSize else {
            return request.configuration { parameter, _ in parameter.distribution.value(fromUnit: random.uniform()) }
        }
        let population = completed.sorted { $0.loss < $1.loss }.prefix(populationSize).map { $0 }
        func tournament() -> [String: ParameterValue] {
            let entrants = (0..<tournamentSize).map { _ in population[random.index(below: population.count)] }
            return entrants.min { $0.loss < $1.loss }!.trial.params
        }
        let searchedCount = request.space.searchedParameters.count
        let rate = mutationRate ?? 1 / Double(max(searchedCount, 1))
        let seen = Set(request.history.filter { $0.state != .fail && $0.number != request.trialNumber }.map(\.params))

        var child: [String: ParameterValue] = [:]
        for attempt in 0..<10 {
            let first = tournament(), second = tournament()
            let mixes = random.uniform() < crossoverRate
            // Later attempts mutate harder to get away from a configuration already seen.
            let attemptRate = min(1, rate * Double(attempt + 1))
            child = request.configuration { parameter, _ in
                let distribution = parameter.distribution
                var gene = inherit(distribution, first[parameter.name], second[parameter.name], mixes: mixes, using: &random)
                    ?? random.uniform()
                if random.uniform() < attemptRate {
                    gene = distribution.isNumeric ? min(max(gene + mutationScale * random.gaussian(), 0), 1) : random.uniform()
                }
                return distribution.value(fromUnit: min(gene, 1 - 1e-12))
            }
            if !seen.contains(child) { break }
        }
        return child
    }

    /// The child's unit-axis gene from its parents' values, or `nil` if neither has one.
    private func inherit(
        _ distribution: Distribution, _ a: ParameterValue?, _ b: ParameterValue?, mixes: Bool, using random: inout SeededRandom
    ) -> Double? {
        let x = a.flatMap { distribution.unitValue(of: $0) }
        let y = b.flatMap { distribution.unitValue(of: $0) }
        guard let x else { return y }
        guard mixes, let y else { return x }
        if !distribution.isNumeric || random.uniform() < 0.5 {
            return random.uniform() < 0.5 ? x : y
        }
        let alpha = 0.25
        let low = min(x, y) - alpha * abs(x - y), high = max(x, y) + alpha * abs(x - y)
        return min(max(low + random.uniform() * (high - low), 0), 1)
    }
}

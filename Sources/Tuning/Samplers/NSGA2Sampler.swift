import Foundation

/// NSGA-II for studies with several objectives (Deb et al., 2002), as a steady-state
/// algorithm: the parents of each new trial come from the `populationSize` best complete trials,
/// ranked by Pareto front and, within a front, by crowding distance (so the population keeps the
/// best points found so far and spreads along the front). Each child takes two parents picked by
/// binary tournament, mixes them by simulated binary crossover (SBX) on each number's unit axis
/// (so log-scaled parameters mix in log space) or by taking either parent's choice, and then
/// mutates numbers by polynomial mutation and redraws choices. The first `populationSize` trials
/// are random.
///
/// Trials are compared by `TrialRecord.objectiveValues`, one per direction; trials with another
/// number of values are ignored. The sampler is a pure function of the trials and the seed.
public struct NSGA2Sampler: Sampler {
    /// The study's directions, one per objective.
    public var directions: [StudyDirection]
    public var populationSize: Int
    /// Probability that a child mixes its parents (else it copies the first).
    public var crossoverRate: Double
    /// Probability that a gene mutates; `nil` means 1 / number of parameters.
    public var mutationRate: Double?
    /// SBX's distribution index: larger keeps children closer to their parents.
    public var crossoverEta: Double
    /// Polynomial mutation's distribution index: larger makes smaller steps.
    public var mutationEta: Double

    public init(directions: [StudyDirection], populationSize: Int = 20, crossoverRate: Double = 0.9,
                mutationRate: Double? = nil, crossoverEta: Double = 15, mutationEta: Double = 20) {
        self.directions = directions
        self.populationSize = populationSize
        self.crossoverRate = crossoverRate
        self.mutationRate = mutationRate
        self.crossoverEta = crossoverEta
        self.mutationEta = mutationEta
    }

    public func validate(for space: SearchSpace) throws {
        guard !directions.isEmpty, populationSize >= 2, (0...1).contains(crossoverRate), crossoverEta >= 0, mutationEta >= 0,
              (mutationRate.map { (0...1).contains($0) } ?? true)
        else {
            throw TuningError.invalidSettings(
                component: "nsga2 sampler",
                reason: "needs at least one direction, population ≥ 2, crossover and mutation rates in [0, 1], distribution indices ≥ 0")
        }
    }

    public func sample(_ request: SamplingRequest) throws -> [String: ParameterValue] {
        try validate(for: request.space)
        var random = request.random(stream: SamplerStream.nsga2)
        let population = self.population(request.history)
        guard population.count >= populationSize else {
            return request.configuration { parameter, _ in parameter.distribution.value(fromUnit: random.uniform()) }
        }
        // Members are sorted best first, so the lower index wins a binary tournament.
        func tournament() -> [String: ParameterValue] {
            let a = random.index(below: population.count), b = random.index(below: population.count)
            return population[min(a, b)].params
        }
        let first = tournament(), second = tournament()
        let mixes = random.uniform() < crossoverRate
        let rate = mutationRate ?? 1 / Double(max(request.space.searchedParameters.count, 1))
        return request.configuration { parameter, _ in
            let distribution = parameter.distribution
            let x = first[parameter.name].flatMap { distribution.unitValue(of: $0) }
            let y = second[parameter.name].flatMap { distribution.unitValue(of: $0) }
            var gene = x ?? y ?? random.uniform()
            if mixes, let x, let y {
                gene = distribution.isNumeric ? crossover(x, y, using: &random) : (random.uniform() < 0.5 ? x : y)
            }
            if random.uniform() < rate {
                gene = distribution.isNumeric ? mutate(gene, using: &random) : random.uniform()
            }
            return distribution.value(fromUnit: min(max(gene, 0), 1 - 1e-12))
        }
    }

    /// The `populationSize` best complete trials, best first: by front, then by crowding
    /// distance (larger first), then by number.
    func population(_ history: [TrialRecord]) -> [TrialRecord] {
        let complete = history.filter { $0.state == .complete && $0.objectiveValues.count == directions.count }
        let losses = complete.map { trial in zip(directions, trial.objectiveValues).map { $0.loss($1) } }
        var chosen: [TrialRecord] = []
        for front in Pareto.fronts(losses) {
            let distances = Pareto.crowdingDistances(front.map { losses[$0] })
            let ranked = front.indices.sorted { i, j in
                distances[i] != distances[j] ? distances[i] > distances[j] : complete[front[i]].number < complete[front[j]].number
            }
            chosen += ranked.prefix(populationSize - chosen.count).map { complete[front[$0]] }
            if chosen.count == populationSize { break }
        }
        return chosen
    }

    /// One child of SBX on the unit axis.
    private func crossover(_ x: Double, _ y: Double, using random: inout SeededRandom) -> Double {
        guard random.uniform() < 0.5 else { return x }
        let u = random.uniform()
        let beta = u <= 0.5 ? pow(2 * u, 1 / (crossoverEta + 1)) : pow(1 / (2 * (1 - u)), 1 / (crossoverEta + 1))
        let sign: Double = random.uniform() < 0.5 ? 1 : -1
        return 0.5 * ((x + y) + sign * beta * (x - y))
    }

    /// Polynomial mutation of a gene on the unit axis.
    private func mutate(_ x: Double, using random: inout SeededRandom) -> Double {
        let u = random.uniform(), power = 1 / (mutationEta + 1)
        let delta = u < 0.5 ? pow(2 * u, power) - 1 : 1 - pow(2 * (1 - u), power)
        return x + delta
    }
}

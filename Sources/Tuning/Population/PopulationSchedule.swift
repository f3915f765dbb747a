/// Population-based training (PBT): a population of members trains together in generations of
/// `intervalEpochs` epochs. Each member's generation is one trial. When a generation is over, the
/// worst `fraction` of the members *exploit* (copy the weights and optimizer state a better
/// member's trial saved) and *explore* (perturb or resample that member's hyperparameters); the
/// others continue from their own checkpoint with their own hyperparameters.
///
/// Every decision is a function of the study's seed and the previous generation's trials
/// (`PopulationPlan`), so every worker that creates a member's next trial decides the same.
public struct PopulationSchedule: Sendable, Hashable {
    /// How many members train together.
    public var population: Int
    /// Epochs per generation (one trial per member per generation).
    public var intervalEpochs: Int
    /// How many generations; the population trains `generations · intervalEpochs` epochs.
    public var generations: Int
    /// The share of members that exploit after a generation, and the share they copy from.
    public var fraction: Double
    /// The factors a numeric hyperparameter is multiplied by when perturbed (one is drawn).
    public var perturbFactors: [Double]
    /// The chance that an exploiting member draws a hyperparameter afresh from the space instead
    /// of perturbing it.
    public var resampleProbability: Double
    /// Parameters that cannot change during training (they shape the model or the optimizer
    /// rule): drawn once per member, copied with the weights, never perturbed.
    public var fixed: Set<String>

    public init(
        population: Int, intervalEpochs: Int, generations: Int, fraction: Double = 0.25,
        perturbFactors: [Double] = [0.8, 1.2], resampleProbability: Double = 0.25, fixed: Set<String> = []
    ) {
        self.population = population
        self.intervalEpochs = intervalEpochs
        self.generations = generations
        self.fraction = fraction
        self.perturbFactors = perturbFactors
        self.resampleProbability = resampleProbability
        self.fixed = fixed
    }

    /// How many members exploit after each generation (and how many are copied from): the
    /// fraction of the population rounded down, at least one.
    public var exploitCount: Int { max(1, Int((Double(population) * fraction).rounded(.down))) }

    /// One line that says what the population does (`tune` prints it when it starts).
    public var summary: String {
        let factors = perturbFactors.map { ProgressReport.format($0) }.joined(separator: ", ")
        let kept = fixed.isEmpty ? "" : " except \(fixed.sorted().joined(separator: ", "))"
        return "scheduler pbt: \(population) members, \(generations) generations of \(intervalEpochs) epoch"
            + (intervalEpochs == 1 ? "" : "s") + " (\(totalEpochs) epochs in all); after each, the worst \(exploitCount) copy one of the"
            + " best \(exploitCount) and perturb (×\(factors)) or, with probability \(ProgressReport.format(resampleProbability)),"
            + " redraw each parameter\(kept)"
    }

    /// The epochs of every member over the whole run.
    public var totalEpochs: Int { population * generations * intervalEpochs }

    /// Throws `TuningError.invalidSettings` naming the study-file key (`population`,
    /// `interval_epochs`, ...) whose value cannot work with `space`.
    public func validate(for space: SearchSpace) throws {
        func problem(_ key: String, _ reason: String) -> TuningError {
            .invalidSettings(component: "scheduler pbt", reason: "\(key): \(reason)")
        }
        guard population >= 2 else { throw problem("population", "needs at least 2 members, not \(population)") }
        guard intervalEpochs >= 1 else { throw problem("interval_epochs", "must be at least 1, not \(intervalEpochs)") }
        guard generations >= 1 else { throw problem("generations", "must be at least 1, not \(generations)") }
        guard fraction > 0, fraction <= 0.5 else {
            throw problem("fraction", "must be above 0 and at most 0.5 (the worst fraction copies from the best), not \(fraction)")
        }
        guard !perturbFactors.isEmpty, perturbFactors.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw problem("perturb", "needs one or more positive factors, not \(perturbFactors)")
        }
        guard (0...1).contains(resampleProbability) else {
            throw problem("resample_probability", "must be between 0 and 1, not \(resampleProbability)")
        }
        for name in fixed.sorted() where space[name] == nil {
            throw problem("fixed", "'\(name)' is not a parameter of the space")
        }
        if space["epochs"] != nil {
            throw problem("epochs", "the scheduler decides each trial's epochs (interval_epochs × generations); remove 'epochs' from the space")
        }
        if space.parameters.contains(where: { $0.condition != nil }) {
            throw problem("space", "conditional parameters cannot be perturbed one by one; PBT needs a space without conditions")
        }
    }
}

import Foundation

/// Hyperband (Li et al. 2018) over asynchronous successive halving: several brackets of ASHA
/// that differ in how early they start pruning (bracket b skips the first b rungs), so a study
/// hedges between aggressive and cautious early stopping. Each trial belongs to one bracket,
/// drawn from the study's seed and its number with probability proportional to the bracket's
/// budget, and competes only with trials of its bracket.
public struct HyperbandPruner: Pruner {
    public let minimumResource: Int
    /// The largest step a trial reports (its epoch count, say).
    public let maximumResource: Int
    public let reductionFactor: Int
    private let brackets: [SuccessiveHalvingPruner]
    private let budgets: [Double]

    public init(minimumResource: Int = 1, maximumResource: Int, reductionFactor: Int = 3) throws {
        guard maximumResource >= minimumResource else {
            throw TuningError.invalidSettings(
                component: "Hyperband pruner", reason: "maximum resource \(maximumResource) is below minimum resource \(minimumResource)")
        }
        // Checked before the brackets are counted: a factor below 2 or a resource below 1 would
        // never reach the maximum.
        guard minimumResource >= 1, reductionFactor >= 2 else {
            throw TuningError.invalidSettings(
                component: "Hyperband pruner",
                reason: "needs minimum resource ≥ 1 (got \(minimumResource)) and reduction factor ≥ 2 (got \(reductionFactor))")
        }
        self.minimumResource = minimumResource
        self.maximumResource = maximumResource
        self.reductionFactor = reductionFactor
        var count = 1
        var resource = minimumResource
        // resource · factor ≤ maximum, without overflow.
        while resource <= maximumResource / reductionFactor {
            resource *= reductionFactor
            count += 1
        }
        brackets = try (0..<count).map {
            try SuccessiveHalvingPruner(minimumResource: minimumResource, reductionFactor: reductionFactor, minimumEarlyStoppingRate: $0)
        }
        budgets = (0..<count).map { index in
            let s = Double(count - 1 - index)
            return (Double(count) * pow(Double(reductionFactor), s) / (s + 1)).rounded(.up)
        }
    }

    /// The number of brackets.
    public var bracketCount: Int { brackets.count }

    /// The bracket of trial `number` in a study seeded with `seed`.
    public func bracket(ofTrial number: Int, seed: UInt64) -> Int {
        var random = SeededRandom(seed: seed, trial: number, stream: Self.stream)
        var threshold = random.uniform() * budgets.reduce(0, +)
        for (index, budget) in budgets.enumerated() {
            threshold -= budget
            if threshold < 0 { return index }
        }
        return budgets.count - 1
    }

    public func shouldPrune(_ request: PruningRequest) -> Bool {
        let bracket = bracket(ofTrial: request.trial.number, seed: request.seed)
        let mates = request.history.filter { self.bracket(ofTrial: $0.number, seed: request.seed) == bracket }
        return brackets[bracket].shouldPrune(request, competitors: mates)
    }

    private static let stream: UInt64 = 101
}

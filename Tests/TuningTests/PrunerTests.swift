import Foundation
import Testing
@testable import Tuning

/// Pruners decide on histories built by hand here, then in a real study.
@Suite struct PrunerTests {
    /// A trial with the given intermediate values (step → value).
    func trial(_ number: Int, _ state: TrialState, _ values: [Int: Double]) -> TrialRecord {
        TrialRecord(id: Int64(number), number: number, state: state, params: ["x": 0.5],
                    value: state == .complete ? values.values.min() : nil, intermediateValues: values, revision: Int64(number))
    }

    func request(_ current: TrialRecord, _ history: [TrialRecord], direction: StudyDirection = .minimize) -> PruningRequest {
        PruningRequest(direction: direction, seed: 0, trial: current, history: history + [current])
    }

    /// Five complete trials with values 1...5 at every step 0...9.
    var finished: [TrialRecord] {
        (0..<5).map { n in trial(n, .complete, Dictionary(uniqueKeysWithValues: (0..<10).map { ($0, Double(n + 1)) })) }
    }

    @Test func medianPrunesTrialsWorseThanTheMedian() throws {
        let pruner = try MedianPruner()
        #expect(pruner.shouldPrune(request(trial(5, .running, [0: 3.5]), finished)))
        #expect(!pruner.shouldPrune(request(trial(5, .running, [0: 2.5]), finished)))
        // The trial's best value so far counts, not its latest.
        #expect(!pruner.shouldPrune(request(trial(5, .running, [0: 2.5, 1: 4]), finished)))
        // When maximising, large values are good.
        #expect(!pruner.shouldPrune(request(trial(5, .running, [0: 3.5]), finished, direction: .maximize)))
        #expect(pruner.shouldPrune(request(trial(5, .running, [0: 2.5]), finished, direction: .maximize)))
        // No values of complete trials at this step: no decision.
        #expect(!pruner.shouldPrune(request(trial(5, .running, [42: 100]), finished)))
    }

    @Test func startupWarmupAndIntervalHoldPruningBack() throws {
        let bad = trial(5, .running, [0: 9, 1: 9, 2: 9, 3: 9])
        #expect(!(try MedianPruner(startupTrials: 6)).shouldPrune(request(bad, finished)))
        #expect(!(try MedianPruner(warmupSteps: 4)).shouldPrune(request(bad, finished)))
        #expect((try MedianPruner(warmupSteps: 3)).shouldPrune(request(bad, finished)))
        #expect(!(try MedianPruner(warmupSteps: 0, intervalSteps: 2)).shouldPrune(request(bad, finished)))
        #expect(!(try MedianPruner(minimumTrials: 6)).shouldPrune(request(bad, finished)))
        // Pruned and running trials are not part of the comparison.
        let others = finished.map { var t = $0; t.state = .pruned; return t }
        #expect(!(try MedianPruner(startupTrials: 1)).shouldPrune(request(bad, others)))
    }

    @Test func percentileThresholdsInterpolate() throws {
        #expect(PercentilePruner.percentile(25, of: [4, 1, 3, 2, 5]) == 2)
        #expect(PercentilePruner.percentile(10, of: [1, 2, 3, 4, 5]) == 1.4)
        let strict = try PercentilePruner(percentile: 25)
        #expect(strict.shouldPrune(request(trial(5, .running, [0: 2.5]), finished)))
        #expect(!strict.shouldPrune(request(trial(5, .running, [0: 1.5]), finished)))
        #expect(throws: TuningError.self) { try PercentilePruner(percentile: 101) }
    }

    @Test func successiveHalvingPromotesTheTopFractionAtEachRungOnce() throws {
        // Rungs at steps 1, 2, 4, 8 (η = 2).
        let pruner = try SuccessiveHalvingPruner(minimumResource: 1, reductionFactor: 2)
        #expect((0..<4).map(pruner.rung) == [1, 2, 4, 8])
        let others = [1.0, 2, 3, 4, 5].enumerated().map { trial($0.offset, .complete, [1: $0.element, 2: $0.element]) }
        // 6 values at rung 1 including its own: the best 6/2 = 3 go on.
        #expect(!pruner.shouldPrune(request(trial(9, .running, [1: 2.5]), others)))
        #expect(pruner.shouldPrune(request(trial(9, .running, [1: 3.5]), others)))
        // Step 3 reaches no new rung: no decision, whatever the value.
        #expect(!pruner.shouldPrune(request(trial(9, .running, [1: 2.5, 2: 2.5, 3: 99]), others)))
        // Reporting straight at step 3 first reaches rung 1 (value at the first step at or past it).
        #expect(pruner.shouldPrune(request(trial(9, .running, [3: 3.5]), others)))
        // The first trial at a rung always goes on; a second goes on only if better.
        #expect(!pruner.shouldPrune(request(trial(0, .running, [1: 7]), [])))
        #expect(pruner.shouldPrune(request(trial(1, .running, [1: 8]), [trial(0, .running, [1: 7])])))
        // With min early-stopping rate 1, the first rung is at step 2.
        let later = try SuccessiveHalvingPruner(minimumResource: 1, reductionFactor: 2, minimumEarlyStoppingRate: 1)
        #expect(!later.shouldPrune(request(trial(9, .running, [1: 99]), others)))
    }

    @Test func hyperbandSplitsTrialsIntoBracketsByBudget() throws {
        let pruner = try HyperbandPruner(minimumResource: 1, maximumResource: 27, reductionFactor: 3)
        #expect(pruner.bracketCount == 4)
        var counts = [0, 0, 0, 0]
        for number in 0..<4000 { counts[pruner.bracket(ofTrial: number, seed: 5)] += 1 }
        // Budgets ⌈4·3^s/(s+1)⌉ for s = 3, 2, 1, 0: 27, 12, 6, 4 (of 49).
        for (count, budget) in zip(counts, [27.0, 12, 6, 4]) {
            #expect(abs(Double(count) / 4000 - budget / 49) < 0.03)
        }
        #expect(pruner.bracket(ofTrial: 17, seed: 5) == pruner.bracket(ofTrial: 17, seed: 5))
    }

    @Test func hyperbandComparesOnlyWithinABracket() throws {
        let pruner = try HyperbandPruner(minimumResource: 1, maximumResource: 9, reductionFactor: 3)
        let numbers = Array(0..<60)
        let bracketZero = numbers.filter { pruner.bracket(ofTrial: $0, seed: 0) == 0 }
        let otherBrackets = numbers.filter { pruner.bracket(ofTrial: $0, seed: 0) != 0 }
        let current = try #require(bracketZero.last)
        // Excellent trials in other brackets do not count against a bracket-0 trial...
        let strangers = otherBrackets.map { trial($0, .complete, [1: 0.0]) }
        #expect(!pruner.shouldPrune(request(trial(current, .running, [1: 5]), strangers)))
        // ...but the same trials in its own bracket do.
        let mates = bracketZero.dropLast().prefix(6).map { trial($0, .complete, [1: 0.0]) }
        #expect(pruner.shouldPrune(request(trial(current, .running, [1: 5]), Array(mates))))
    }

    /// Learning curves that approach each trial's final loss; pruning should cut total epochs
    /// while still finding a near-best trial.
    @Test(arguments: ["median", "asha", "hyperband"])
    func pruningSavesEpochsInAStudy(kind: String) async throws {
        let pruner: any Pruner = switch kind {
        case "median": try MedianPruner(startupTrials: 5, warmupSteps: 1)
        case "asha": try SuccessiveHalvingPruner(minimumResource: 1, reductionFactor: 3)
        default: try HyperbandPruner(minimumResource: 1, maximumResource: 20, reductionFactor: 3)
        }
        let space = try SearchSpace([.float("x", 0...1)])
        let objective = FunctionObjective { trial in
            let final = try trial.double("x")
            var loss = 0.0
            for epoch in 1...20 {
                loss = final + 1 / Double(epoch)
                try trial.report(loss, step: epoch)
                if try trial.shouldPrune() { throw TrialPruned() }
            }
            return loss
        }
        let study = try Study(name: "p", space: space, seed: 2, storage: InMemoryStorage(), sampler: RandomSampler(), pruner: pruner, heartbeat: .off)
        let summary = try await study.optimize(objective, stop: [.trials(40)])
        let trials = try study.trials()
        let epochs = trials.map { $0.intermediateValues.count }.reduce(0, +)
        #expect(summary.pruned > 0)
        #expect(epochs < 40 * 20 * 3 / 4, "\(kind) used \(epochs) epochs")
        #expect(trials.filter { $0.state == .pruned }.allSatisfy { !$0.intermediateValues.isEmpty && $0.value != nil })
        let bestFinal = trials.compactMap { $0.params["x"]?.doubleValue }.min()!
        #expect(summary.best!.value! < bestFinal + 0.05 + 0.1)
    }
}

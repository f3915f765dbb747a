import Testing
@testable import Tuning

@Suite struct NSGA2SamplerTests {
    private static let directions: [StudyDirection] = [.minimize, .minimize]

    /// ZDT1's hypervolume against (1.1, 11) after 100 trials, with `sampler`.
    private func zdt1Hypervolume(sampler: any Sampler, seed: UInt64) async throws -> Double {
        let space = try ParetoTestObjective.Function.zdt1.space(dimensions: 6)
        let study = try Study(name: "zdt1", space: space, seed: seed, storage: InMemoryStorage(), sampler: sampler, heartbeat: .off)
        try await study.optimize(ParetoTestObjective(.zdt1), stop: [.trials(100)])
        let points = try study.trials().filter { $0.state == .complete }.map(\.objectiveValues)
        return Pareto.hypervolume2D(points, reference: [1.1, 11])
    }

    @Test func improvesZDT1HypervolumeOverRandomSearch() async throws {
        let nsga2 = try await zdt1Hypervolume(sampler: NSGA2Sampler(directions: Self.directions, populationSize: 20), seed: 1)
        let random = try await zdt1Hypervolume(sampler: RandomSampler(), seed: 1)
        #expect(nsga2 > random, "NSGA-II \(nsga2) vs random \(random)")
    }

    @Test func repeatsWithTheSeedAndKeepsParametersInTheirSpace() async throws {
        let space = try SearchSpace([.float("x", 0...1), .int("n", 1...64, log: true), .categorical("c", ["a", "b", "c"])])
        let objective = FunctionObjective { trial in
            let x = try trial.double("x"), n = Double(try trial.int("n"))
            let penalty = try trial.string("c") == "b" ? 0 : 1.0
            try trial.setObjectiveValues([x + penalty, (1 - x) * n])
            return x + penalty
        }
        func run() async throws -> [TrialRecord] {
            let study = try Study(name: "m", space: space, seed: 4, storage: InMemoryStorage(),
                                  sampler: NSGA2Sampler(directions: Self.directions, populationSize: 6), heartbeat: .off)
            try await study.optimize(objective, stop: [.trials(40)])
            return try study.trials()
        }
        let trials = try await run()
        #expect(try await run().map(\.params) == trials.map(\.params))
        #expect(trials.allSatisfy { (try? space.validated($0.params)) != nil })
        #expect(trials.allSatisfy { $0.objectiveValues.count == 2 })
    }

    @Test func populationRanksByFrontThenCrowding() {
        func trial(_ number: Int, _ values: [Double]) -> TrialRecord {
            TrialRecord(id: Int64(number), number: number, state: .complete, value: values[0],
                        userAttributes: [TrialRecord.objectiveValuesKey: TrialRecord.encodedObjectiveValues(values)])
        }
        // Maximize the first value, minimize the second: 0, 1, 2 and 3 form the front.
        let history = [trial(0, [1, 1]), trial(1, [2, 2]), trial(2, [3, 3]), trial(3, [2.9, 2.5]), trial(4, [0, 5])]
        let sampler = NSGA2Sampler(directions: [.maximize, .minimize], populationSize: 3)
        // The extremes (0 and 2) have infinite crowding; of 1 and 3, trial 1 sits in the wider gaps
        // (0.95 + 0.75 against 0.5 + 0.5).
        #expect(sampler.population(history).map(\.number) == [0, 2, 1])
    }

    @Test func rejectsImpossibleSettings() {
        #expect(throws: TuningError.self) { try NSGA2Sampler(directions: Self.directions, populationSize: 1).validate(for: unitSpace) }
        #expect(throws: TuningError.self) { try NSGA2Sampler(directions: []).validate(for: unitSpace) }
    }
}

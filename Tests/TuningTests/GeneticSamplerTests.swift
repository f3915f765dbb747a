import Foundation
import Testing
@testable import Tuning

@Suite struct GeneticSamplerTests {
    @Test func beatsRandomSearchOnASphere() async throws {
        let space = sphereSpace(dimensions: 6)
        var genetic: [Double] = [], random: [Double] = []
        for seed in UInt64(0)..<5 {
            genetic.append(try await bestValue(sampler: GeneticSampler(), space: space, objective: sphereObjective, trials: 150, seed: seed))
            random.append(try await bestValue(sampler: RandomSampler(), space: space, objective: sphereObjective, trials: 150, seed: seed))
        }
        #expect(median(genetic) < median(random) / 2, "GA \(median(genetic)) vs random \(median(random))")
    }

    @Test func childrenRespectConditionsAndRepeatWithTheSeed() async throws {
        let space = try SearchSpace([
            .categorical("optimizer", ["sgd", "adam"]),
            Parameter.float("momentum", 0...1).when("optimizer", is: "sgd"),
            .int("units", 8...128, log: true),
        ])
        let objective = FunctionObjective { trial in
            (try trial.string("optimizer") == "sgd" ? abs(try trial.double("momentum") - 0.9) : 0.5)
                + abs(log2(Double(try trial.int("units"))) - 5) / 5
        }
        func run() async throws -> [TrialRecord] {
            let study = try Study(name: "ga", space: space, seed: 8, storage: InMemoryStorage(), sampler: GeneticSampler(), heartbeat: .off)
            try await study.optimize(objective, stop: [.trials(60)])
            return try study.trials()
        }
        let trials = try await run()
        #expect(try await run().map(\.params) == trials.map(\.params))
        #expect(trials.allSatisfy { ($0.params["optimizer"] == "sgd") == ($0.params["momentum"] != nil) })
        #expect(Set(trials.map(\.params)).count == trials.count)
        #expect(trials.compactMap(\.value).min()! < 0.1)
    }

    @Test func rejectsImpossibleSettings() {
        let request = SamplingRequest(space: unitSpace, direction: .minimize, seed: 0, trialNumber: 0, history: [])
        #expect(throws: TuningError.self) { try GeneticSampler(populationSize: 1).sample(request) }
        #expect(throws: TuningError.self) { try GeneticSampler(crossoverRate: 2).sample(request) }
    }
}

import Foundation
import Testing
@testable import Tuning

@Suite struct TPESamplerTests {
    @Test(arguments: [true, false])
    func beatsRandomSearchOnBranin(multivariate: Bool) async throws {
        var tpe: [Double] = [], random: [Double] = []
        for seed in UInt64(0)..<10 {
            tpe.append(try await bestValue(sampler: TPESampler(multivariate: multivariate), space: braninSpace, objective: braninObjective, trials: 50, seed: seed))
            random.append(try await bestValue(sampler: RandomSampler(), space: braninSpace, objective: braninObjective, trials: 50, seed: seed))
        }
        #expect(median(tpe) < median(random), "TPE \(median(tpe)) vs random \(median(random))")
        #expect(median(tpe) < 1.0)
    }

    @Test func aSeededStudyRepeats() async throws {
        func run() async throws -> [[String: ParameterValue]] {
            let study = try Study(name: "t", space: braninSpace, seed: 11, storage: InMemoryStorage(), sampler: TPESampler(), heartbeat: .off)
            try await study.optimize(braninObjective, stop: [.trials(25)])
            return try study.trials().map(\.params)
        }
        #expect(try await run() == run())
    }

    @Test func learnsConditionalAndCategoricalParameters() async throws {
        let space = try SearchSpace([
            .categorical("optimizer", ["sgd", "adam", "rmsprop"]),
            Parameter.float("momentum", 0...1).when("optimizer", is: "sgd"),
            .int("units", 1...64, log: true),
        ])
        // Best: sgd with momentum 0.9 and about 32 units.
        let objective = FunctionObjective { trial in
            let units = Double(try trial.int("units"))
            let unitsLoss = pow(log2(units) - 5, 2) / 10
            switch try trial.string("optimizer") {
            case "sgd": return abs(try trial.double("momentum") - 0.9) + unitsLoss
            case "adam": return 0.5 + unitsLoss
            default: return 1 + unitsLoss
            }
        }
        let study = try Study(name: "c", space: space, seed: 3, storage: InMemoryStorage(), sampler: TPESampler(), heartbeat: .off)
        try await study.optimize(objective, stop: [.trials(60)])
        let trials = try study.trials()
        #expect(trials.allSatisfy { ($0.params["optimizer"] == "sgd") == ($0.params["momentum"] != nil) })
        let late = trials.suffix(30)
        #expect(late.filter { $0.params["optimizer"] == "sgd" }.count >= 18)
        let best = try #require(try study.bestTrial())
        #expect(best.value! < 0.15)
    }

    @Test func pendingTrialsChangeTheProposal() throws {
        let history = (0..<20).map { number in
            let x = Double(number) / 19 * 15 - 5
            return TrialRecord(id: Int64(number), number: number, state: .complete, params: ["x": .double(x), "y": 2.0],
                               value: branin(x, 2), revision: Int64(number))
        }
        let sampler = TPESampler()
        func propose(_ history: [TrialRecord]) throws -> [String: ParameterValue] {
            try sampler.sample(SamplingRequest(space: braninSpace, direction: .minimize, seed: 1, trialNumber: 25, history: history))
        }
        let alone = try propose(history)
        let pending = TrialRecord(id: 99, number: 20, state: .running, params: alone, revision: 99)
        let withPending = try propose(history + [pending])
        #expect(withPending != alone)
    }

    @Test func weightsRampForOldObservations() {
        #expect(TPESampler.weights(3) == [1, 1, 1])
        let weights = TPESampler.weights(50)
        #expect(weights.count == 50)
        #expect(abs(weights[0] - 1.0 / 50) < 1e-12)
        #expect(weights.suffix(26).allSatisfy { $0 == 1 })
        #expect(zip(weights, weights.dropFirst()).allSatisfy { $0 <= $1 })
    }
}

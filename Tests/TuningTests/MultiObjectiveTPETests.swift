import Testing
@testable import Tuning

@Suite struct MultiObjectiveTPETests {
    private static let directions: [StudyDirection] = [.minimize, .minimize]

    private static func trial(_ number: Int, _ values: [Double], x: Double = 0.5) -> TrialRecord {
        TrialRecord(id: Int64(number), number: number, state: .complete, params: ["x": .double(x)], value: values[0],
                    userAttributes: [TrialRecord.objectiveValuesKey: TrialRecord.encodedObjectiveValues(values)])
    }

    /// ZDT1's hypervolume against (1.1, 11) after 100 trials in 6 dimensions, with `sampler`.
    private func zdt1Hypervolume(sampler: any Sampler, seed: UInt64) async throws -> Double {
        let space = try ParetoTestObjective.Function.zdt1.space(dimensions: 6)
        let study = try Study(name: "zdt1", space: space, seed: seed, storage: InMemoryStorage(), sampler: sampler, heartbeat: .off)
        try await study.optimize(ParetoTestObjective(.zdt1), stop: [.trials(100)])
        let points = try study.trials().filter { $0.state == .complete }.map(\.objectiveValues)
        return Pareto.hypervolume(points, reference: [1.1, 11])
    }

    @Test(arguments: [1, 2] as [UInt64])
    func beatsRandomSearchOnZDT1(seed: UInt64) async throws {
        let motpe = try await zdt1Hypervolume(sampler: TPESampler(directions: Self.directions), seed: seed)
        let random = try await zdt1Hypervolume(sampler: RandomSampler(), seed: seed)
        #expect(motpe > random + 0.3, "MOTPE \(motpe) vs random \(random)")
    }

    @Test func repeatsWithTheSeedOnAConditionalSpace() async throws {
        let space = try SearchSpace([
            .categorical("kind", ["line", "curve"]),
            .float("x", 0...1),
            .float("bend", 0.1...10, log: true).when("kind", is: "curve"),
        ])
        let objective = FunctionObjective { trial in
            let x = try trial.double("x")
            let bend = try trial.string("kind") == "curve" ? try trial.double("bend") : 1
            try trial.setObjectiveValues([x, (1 - x) * bend])
            return x
        }
        func run() async throws -> [TrialRecord] {
            let study = try Study(name: "m", space: space, seed: 7, storage: InMemoryStorage(),
                                  sampler: TPESampler(directions: Self.directions), heartbeat: .off)
            try await study.optimize(objective, stop: [.trials(40)])
            return try study.trials()
        }
        let trials = try await run()
        #expect(try await run().map(\.params) == trials.map(\.params))
        #expect(trials.allSatisfy { (try? space.validated($0.params)) != nil })
        #expect(trials.contains { $0.params["bend"] != nil } && trials.contains { $0.params["bend"] == nil })
    }

    /// Parallel workers: a running trial counts as above, so a worker does not propose the point
    /// another one is evaluating.
    @Test func pendingTrialsChangeTheProposal() throws {
        let history = (0..<20).map { number in
            let x = Double(number) / 19
            return Self.trial(number, ParetoTestObjective.Function.zdt1([x, abs(x - 0.3)]), x: x)
        }
        func propose(_ history: [TrialRecord]) throws -> [String: ParameterValue] {
            try TPESampler(directions: Self.directions).sample(
                SamplingRequest(space: unitSpace, direction: .minimize, seed: 1, trialNumber: 25, history: history))
        }
        let alone = try propose(history)
        #expect(try propose(history) == alone)
        let pending = TrialRecord(id: 99, number: 20, state: .running, params: alone)
        #expect(try propose(history + [pending]) != alone)
    }

    @Test func splitTakesWholeFrontsThenBreaksTheLastByHypervolume() {
        // 20 observed trials: γ = 2 below. The front is 0, 1 and 2. Scaled to [0, 1] (the second
        // objective spans 0.2…1) they are (0, 1), (0.5, 0.375) and (1, 0); against (1.1, 1.1) the
        // middle one adds the most (0.6 · 0.725), then 0 adds 0.05 and 2 adds 0.0375.
        var history = [Self.trial(0, [0, 1]), Self.trial(1, [0.5, 0.5]), Self.trial(2, [1, 0.2])]
        history += (3..<20).map { Self.trial($0, [1, 1]) }
        let request = SamplingRequest(space: unitSpace, direction: .minimize, seed: 1, trialNumber: 20, history: history)
        let (below, above) = TPESampler.paretoSplit(request, directions: Self.directions)
        #expect(below.map(\.trial.number) == [0, 1])
        #expect(above.map(\.number) == [2] + Array(3..<20))
        // Maximizing the first value makes trial 2 the whole first front; the next front (1 and
        // 3…) adds nothing beyond it, and the tie goes to the earliest, 1.
        let flipped = TPESampler.paretoSplit(request, directions: [.maximize, .minimize])
        #expect(flipped.below.map(\.trial.number) == [1, 2])
    }

    @Test func belowWeightsFollowHypervolumeContributions() {
        // Contributions against (1.1, 1.1): 0.05, 0.25, 0.05 and 0 for the dominated point.
        let weights = TPESampler.belowWeights([[0, 1], [0.5, 0.5], [1, 0], [1, 1]])
        let expected = [0.2, 1, 0.2, TPESampler.minimumBelowWeight]
        #expect(zip(weights, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(weights)")
        #expect(TPESampler.belowWeights([[0, 1]]) == [1])
    }

    @Test func autoUsesTPEUntilItsTrialLimit() throws {
        let auto = MultiObjectiveAutoSampler(directions: Self.directions, nsga2TrialLimit: 30)
        let history = (0..<30).map { Self.trial($0, [Double($0 % 7) / 7, Double($0 % 5) / 5], x: Double($0) / 30) }
        let early = SamplingRequest(space: unitSpace, direction: .minimize, seed: 2, trialNumber: 29, history: Array(history.prefix(29)))
        let late = SamplingRequest(space: unitSpace, direction: .minimize, seed: 2, trialNumber: 30, history: history)
        #expect(auto.choice(for: early) == .tpe)
        #expect(auto.choice(for: late) == .nsga2)
        #expect(try auto.sample(early) == TPESampler(directions: Self.directions).sample(early))
        #expect(try auto.sample(late) == NSGA2Sampler(directions: Self.directions).sample(late))
        #expect(auto.summary().hasPrefix("sampler auto: tpe (multi-objective TPE for 2 directions)"))
    }
}

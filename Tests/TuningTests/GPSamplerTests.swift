import Foundation
import Testing
@testable import Tuning

@Suite struct GPSamplerTests {
    @Test func likelihoodGradientMatchesFiniteDifferences() {
        var random = SeededRandom(seed: 1, trial: 0)
        let inputs = (0..<12).map { _ in (0..<3).map { _ in random.uniform() } }
        let targets = inputs.map { sin(6 * $0[0]) + $0[1] * $0[1] - 0.5 * $0[2] }
        let theta = [log(0.3), log(0.7), log(1.5), log(0.8), log(1e-3)]
        let (_, gradient) = GaussianProcess.negativeLogPosterior(theta, inputs: inputs, targets: targets)
        for i in theta.indices {
            var plus = theta, minus = theta
            plus[i] += 1e-5
            minus[i] -= 1e-5
            let numeric = (GaussianProcess.negativeLogPosterior(plus, inputs: inputs, targets: targets).value
                - GaussianProcess.negativeLogPosterior(minus, inputs: inputs, targets: targets).value) / 2e-5
            #expect(abs(numeric - gradient[i]) < 1e-4 * max(1, abs(numeric)), "θ[\(i)]: \(numeric) vs \(gradient[i])")
        }
    }

    @Test func fittedProcessInterpolatesItsData() throws {
        var random = SeededRandom(seed: 2, trial: 0)
        let inputs = (0..<15).map { _ in [random.uniform(), random.uniform()] }
        let targets = inputs.map { sin(4 * $0[0]) * cos(3 * $0[1]) }
        let process = try #require(GaussianProcess.fit(inputs: inputs, targets: targets, random: &random))
        for (x, y) in zip(inputs, targets) {
            let (mean, variance) = process.predict(x)
            #expect(abs(mean - y) < 0.05)
            #expect(variance < 0.01)
        }
        #expect(process.predict([3, 3]).variance > 0.1)
    }

    @Test func choleskySolvesAndInverts() throws {
        let a: [Double] = [4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]
        let cholesky = try #require(Cholesky(a, size: 3))
        let inverse = cholesky.inverse()
        for i in 0..<3 {
            for j in 0..<3 {
                let product = (0..<3).reduce(0.0) { $0 + a[i * 3 + $1] * inverse[$1 * 3 + j] }
                #expect(abs(product - (i == j ? 1 : 0)) < 1e-12)
            }
        }
        let x = cholesky.solve([1, 2, 3])
        #expect(abs(4 * x[0] + 2 * x[1] + 0.4 * x[2] - 1) < 1e-12)
        #expect(abs(cholesky.logDeterminant - log(4 * (5 * 3 - 1) - 2 * (2 * 3 - 0.4) + 0.4 * (2 - 5 * 0.4))) < 1e-12)
    }

    @Test func logExpectedImprovementIsSmoothAcrossItsTwoFormulas() {
        // Across the switch at z = −25 the function rises at its slope Φ(z)/h(z) ≈ |z| + 2/|z|, no jump.
        let below = Normal.logH(-25.000001), above = Normal.logH(-24.999999)
        #expect(abs((above - below) - (25 + 2.0 / 25) * 2e-6) < 2e-9)
        #expect(Normal.logH(-40).isFinite)
        #expect(Normal.logH(-40) < Normal.logH(-39))
        #expect(abs(exp(Normal.logH(0)) - 1 / (2 * Double.pi).squareRoot()) < 1e-12)
    }

    @Test func beatsRandomSearchOnBraninWithASmallBudget() async throws {
        var gp: [Double] = [], random: [Double] = []
        for seed in UInt64(0)..<3 {
            gp.append(try await bestValue(sampler: GPSampler(), space: braninSpace, objective: braninObjective, trials: 25, seed: seed))
            random.append(try await bestValue(sampler: RandomSampler(), space: braninSpace, objective: braninObjective, trials: 25, seed: seed))
        }
        #expect(median(gp) < median(random), "GP \(median(gp)) vs random \(median(random))")
        #expect(median(gp) < 0.6)
    }

    @Test func handlesCategoricalAndConditionalParameters() async throws {
        let space = try SearchSpace([
            .categorical("kind", ["a", "b"]),
            Parameter.float("x", -1...1).when("kind", is: "a"),
            .int("n", 1...10),
        ])
        let objective = FunctionObjective { trial in
            let n = Double(try trial.int("n"))
            return try trial.string("kind") == "a" ? pow(try trial.double("x") - 0.4, 2) + abs(n - 7) / 10 : 1 + abs(n - 7) / 10
        }
        let study = try Study(name: "g", space: space, seed: 5, storage: InMemoryStorage(), sampler: GPSampler(), heartbeat: .off)
        try await study.optimize(objective, stop: [.trials(20)])
        let trials = try study.trials()
        #expect(trials.allSatisfy { ($0.params["kind"] == "a") == ($0.params["x"] != nil) })
        #expect(try study.bestTrial()!.value! < 0.05)
    }
}

import Foundation
import Testing
@testable import Tuning

@Suite struct GPSamplerTests {
    @Test(arguments: [
        [log(0.3), log(0.7), log(1.5), log(0.8), log(1e-3)],
        [log(0.3), log(0.7), log(1.5), log(0.8), log(1e-3), 1.2, -0.4, 2.5],
    ])
    func likelihoodGradientMatchesFiniteDifferences(theta: [Double]) {
        var random = SeededRandom(seed: 1, trial: 0)
        let inputs = (0..<12).map { _ in (0..<3).map { _ in random.uniform() } }
        let targets = inputs.map { sin(6 * $0[0]) + $0[1] * $0[1] - 0.5 * $0[2] }
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

    /// Without and with an oblique direction: the second target varies fast along x₀ + x₁ + x₂.
    @Test(arguments: [false, true])
    func predictionGradientsMatchFiniteDifferences(oblique: Bool) throws {
        var random = SeededRandom(seed: 4, trial: 0)
        let inputs = (0..<14).map { _ in [random.uniform(), random.uniform(), random.uniform()] }
        let targets = inputs.map { oblique ? pow(3 * ($0[0] + $0[1] + $0[2] - 1.5), 2) : sin(5 * $0[0]) + $0[1] - $0[2] * $0[2] }
        let process = try #require(GaussianProcess.fit(inputs: inputs, targets: targets, oblique: oblique, random: &random))
        #expect(process.direction.isEmpty != oblique)
        let x = [0.37, 0.61, 0.22]
        let prediction = process.predictWithGradient(x)
        #expect(abs(prediction.mean - process.predict(x).mean) < 1e-12)
        for j in 0..<3 {
            var plus = x, minus = x
            plus[j] += 1e-6
            minus[j] -= 1e-6
            let (meanPlus, variancePlus) = process.predict(plus), (meanMinus, varianceMinus) = process.predict(minus)
            let meanSlope = (meanPlus - meanMinus) / 2e-6, varianceSlope = (variancePlus - varianceMinus) / 2e-6
            #expect(abs(meanSlope - prediction.meanGradient[j]) < 1e-4 * max(1, abs(meanSlope)), "mean, input \(j)")
            #expect(abs(varianceSlope - prediction.varianceGradient[j]) < 1e-4 * max(1, abs(varianceSlope)), "variance, input \(j)")
        }
    }

    @Test func logHSlopeIsTheDerivativeOfLogH() {
        for z in [2.0, 0.3, -1.7, -8, -24.9, -25.1, -60] {
            let numeric = (Normal.logH(z + 1e-6) - Normal.logH(z - 1e-6)) / 2e-6
            #expect(abs(numeric - Normal.logHSlope(z)) < 1e-5 * max(1, abs(numeric)), "z = \(z)")
        }
    }

    @Test func discreteNeighboursTryEverySmallGridValueStepLargeGridsAndSwitchChoices() throws {
        let space = try SearchSpace([
            .int("n", 1...4), .int("m", 0...100), .categorical("kind", ["a", "b", "c"]), .float("x", 0...1),
        ])
        let encoding = GPSampler.Encoding(space: space, fixed: [:])
        let genome = encoding.genome(of: ["n": .int(1), "m": .int(50), "kind": "b", "x": .double(0.25)])
        let neighbours = Set(encoding.discreteNeighbours(of: genome).map(encoding.decode))
        let base: [String: ParameterValue] = ["n": .int(1), "m": .int(50), "kind": "b", "x": .double(0.25)]
        func with(_ name: String, _ value: ParameterValue) -> [String: ParameterValue] {
            base.merging([name: value]) { $1 }
        }
        #expect(neighbours == [
            with("n", .int(2)), with("n", .int(3)), with("n", .int(4)),
            with("m", .int(49)), with("m", .int(51)),
            with("kind", "a"), with("kind", "c"),
        ])
    }

    @Test func proposesIntegersOnTheirGridNearTheOptimum() throws {
        let space = try SearchSpace([.int("n", 0...40), .float("x", 0...1)])
        var random = SeededRandom(seed: 6, trial: 0)
        let history = (0..<20).map { number -> TrialRecord in
            let (n, x) = (random.index(below: 41), random.uniform())
            let loss = pow(Double(n - 23) / 10, 2) + pow(x - 0.7, 2)
            return TrialRecord(id: Int64(number), number: number, state: .complete, params: ["n": .int(n), "x": .double(x)], value: loss)
        }
        let request = SamplingRequest(space: space, direction: .minimize, seed: 2, trialNumber: 20, history: history)
        let proposal = try GPSampler().sample(request)
        let n = try #require(proposal["n"]?.intValue)
        #expect(abs(n - 23) <= 6, "proposed n = \(n)")
    }

    @Test func neverProposesAnEvaluatedOrRunningConfiguration() throws {
        let space = try SearchSpace([.int("n", 0...4)])
        var history = [(0, 5.0), (1, 0.0), (2, 4.0), (4, 6.0)].enumerated().map { number, point in
            TrialRecord(id: Int64(number), number: number, state: .complete, params: ["n": .int(point.0)], value: point.1)
        }
        let request = SamplingRequest(space: space, direction: .minimize, seed: 1, trialNumber: 4, history: history)
        #expect(try GPSampler(startupTrials: 2).sample(request)["n"] == .int(3))
        history.append(TrialRecord(id: 4, number: 4, state: .running, params: ["n": .int(3)]))
        history.append(TrialRecord(id: 5, number: 5, state: .running, params: [:]))
        let afterRunning = SamplingRequest(space: space, direction: .minimize, seed: 1, trialNumber: 5, history: history)
        #expect(try GPSampler(startupTrials: 2).sample(afterRunning)["n"] != nil)
    }

    /// Trials in one corner, the best in its middle: the rest of the box, which no trial has
    /// reached, is expected to be as bad as the worst trial, so the proposal stays near the best
    /// instead of going where the model merely knows nothing.
    @Test func expectsUnexploredRegionsToBeAsBadAsTheWorstTrial() throws {
        let space = try SearchSpace([.float("x", 0...1), .float("y", 0...1)])
        var random = SeededRandom(seed: 9, trial: 0)
        let history = (0..<12).map { number -> TrialRecord in
            let (x, y) = (0.4 * random.uniform(), 0.4 * random.uniform())
            let loss = pow(x - 0.2, 2) + pow(y - 0.2, 2)
            return TrialRecord(id: Int64(number), number: number, state: .complete, params: ["x": .double(x), "y": .double(y)], value: loss)
        }
        let request = SamplingRequest(space: space, direction: .minimize, seed: 3, trialNumber: 12, history: history)
        let proposal = try GPSampler().sample(request)
        let (x, y) = (try #require(proposal["x"]?.doubleValue), try #require(proposal["y"]?.doubleValue))
        #expect(pow(x - 0.2, 2) + pow(y - 0.2, 2) < 0.3 * 0.3, "proposed (\(x), \(y))")
    }

    @Test func modelsAtMostItsTrialLimit() throws {
        let space = try SearchSpace([.float("x", 0...1)])
        let history = (0..<40).map { number in
            TrialRecord(id: Int64(number), number: number, state: .complete, params: ["x": .double(Double(number) / 40)], value: Double(number))
        }
        let request = SamplingRequest(space: space, direction: .minimize, seed: 2, trialNumber: 40, history: history)
        let proposal = try GPSampler(maximumModelTrials: 10).sample(request)
        #expect(try #require(proposal["x"]?.doubleValue) < 0.5)
    }

    /// The oblique direction is kept for a valley across the axes, where it predicts unseen points
    /// better than length scales per axis, and not for a round bowl, which the axes model.
    @Test func obliqueDirectionIsKeptForAnObliqueValleyOnly() throws {
        var random = SeededRandom(seed: 3, trial: 0)
        let inputs = (0..<30).map { _ in (0..<4).map { _ in random.uniform() } }
        let unseen = (0..<200).map { _ in (0..<4).map { _ in random.uniform() } }
        let valley = { (x: [Double]) in pow(4 * (x[0] + 2 * x[1] - x[2] - 0.6), 2) + 0.2 * x[3] }
        let bowl = { (x: [Double]) in x.reduce(0) { $0 + pow($1 - 0.3, 2) } }
        func fitted(_ function: ([Double]) -> Double, oblique: Bool) throws -> (process: GaussianProcess, error: Double) {
            let values = inputs.map(function)
            let (targets, spread) = GPSampler.standardised(values)
            let mean = values.reduce(0, +) / Double(values.count)
            var fitRandom = SeededRandom(seed: 5, trial: 0)
            let process = try #require(GaussianProcess.fit(inputs: inputs, targets: targets, oblique: oblique, random: &fitRandom))
            let squares = unseen.map { pow(process.predict($0).mean * spread + mean - function($0), 2) }
            return (process, (squares.reduce(0, +) / Double(squares.count)).squareRoot())
        }
        let tilted = try fitted(valley, oblique: true), aligned = try fitted(valley, oblique: false)
        #expect(!tilted.process.direction.isEmpty)
        #expect(tilted.error < 0.7 * aligned.error, "errors \(tilted.error) and \(aligned.error)")
        #expect(try fitted(bowl, oblique: true).process.direction.isEmpty)
    }

    /// A valley symmetric about x₀ = 2x₁ has no linear trend; the model's gradients still find
    /// its cross direction.
    @Test func leadingGradientDirectionFindsASymmetricValley() throws {
        var random = SeededRandom(seed: 8, trial: 0)
        let inputs = (0..<40).map { _ in (0..<3).map { _ in random.uniform() } }
        let values = inputs.map { pow($0[0] - 2 * $0[1] + 0.5, 2) }
        let (targets, _) = GPSampler.standardised(values)
        let process = try #require(GaussianProcess.fit(inputs: inputs, targets: targets, random: &random))
        let direction = GaussianProcess.Oblique.leadingGradientDirection(of: process, at: inputs)
        let cosine = (direction[0] - 2 * direction[1]) / 5.0.squareRoot()
        #expect(abs(cosine) > 0.95, "direction \(direction)")
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

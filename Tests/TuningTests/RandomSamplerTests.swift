import Foundation
import Testing
@testable import Tuning

@Suite struct RandomSamplerTests {
    func request(_ space: SearchSpace, trial: Int, seed: UInt64 = 0) -> SamplingRequest {
        SamplingRequest(space: space, direction: .minimize, seed: seed, trialNumber: trial, history: [])
    }

    @Test func drawsAreDecidedBySeedAndTrialNumber() throws {
        let sampler = RandomSampler()
        let a = try sampler.sample(request(braninSpace, trial: 3, seed: 1))
        #expect(try sampler.sample(request(braninSpace, trial: 3, seed: 1)) == a)
        #expect(try sampler.sample(request(braninSpace, trial: 4, seed: 1)) != a)
        #expect(try sampler.sample(request(braninSpace, trial: 3, seed: 2)) != a)
    }

    @Test func logScaledDrawsAreUniformInLogSpace() throws {
        let space = try SearchSpace([.float("lr", 1e-6...1, log: true)])
        let draws = try (0..<3000).map { try RandomSampler().sample(request(space, trial: $0))["lr"]!.doubleValue! }
        // Each decade should hold about a sixth of the draws.
        for decade in 0..<6 {
            let low = pow(10, -Double(decade + 1)), high = pow(10, -Double(decade))
            let share = Double(draws.filter { $0 >= low && $0 < high }.count) / 3000
            #expect(abs(share - 1.0 / 6) < 0.03, "decade \(decade)")
        }
    }

    @Test func conditionalParametersAppearOnlyWhenActive() throws {
        let space = try SearchSpace([
            .categorical("optimizer", ["sgd", "adam"]),
            Parameter.float("momentum", 0...1).when("optimizer", is: "sgd"),
        ])
        let draws = try (0..<200).map { try RandomSampler().sample(request(space, trial: $0)) }
        #expect(draws.allSatisfy { ($0["optimizer"] == "sgd") == ($0["momentum"] != nil) })
        #expect(draws.contains { $0["optimizer"] == "adam" })
        #expect(draws.contains { $0["optimizer"] == "sgd" })
    }
}

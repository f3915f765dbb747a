import Foundation
import Testing
@testable import Tuning

@Test func scratchMedians() async throws {
    let samplers: [(String, any Sampler)] = [("random", RandomSampler()), ("sobol", SobolSampler()), ("tpe-uni", TPESampler(multivariate: false)), ("tpe-multi", TPESampler()), ("gp", GPSampler()), ("ga", GeneticSampler())]
    for (name, sampler) in samplers {
        var values: [Double] = []
        for seed in UInt64(0)..<20 {
            values.append(try await bestValue(sampler: sampler, space: braninSpace, objective: braninObjective, trials: 50, seed: seed))
        }
        print("SCRATCH", name, median(values))
    }
}

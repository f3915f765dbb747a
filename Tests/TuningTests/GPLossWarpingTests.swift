import Foundation
import Testing
@testable import Tuning

@Suite struct GPLossWarpingTests {
    typealias LossWarping = GPSampler.LossWarping

    /// Losses over 2-D inputs whose logarithm is smooth and linear: exp(12·x₀ + 3·x₁) spans six
    /// orders of magnitude.
    static func exponentialLosses(count: Int) -> (inputs: [[Double]], losses: [Double]) {
        var random = SeededRandom(seed: 3, trial: 0)
        let inputs = (0..<count).map { _ in [random.uniform(), random.uniform()] }
        return (inputs, inputs.map { Foundation.exp(12 * $0[0] + 3 * $0[1]) })
    }

    @Test func logSlopesAreTheMapsDerivatives() {
        let losses = [-3.0, -2.5, -1.0, 0.5, 4.0, 30.0, 400.0]
        for warping in LossWarping.candidates(for: losses) {
            for loss in [-2.9, -1.7, 0.2, 12.0, 250.0] {
                let numeric = (warping(loss + 1e-6) - warping(loss - 1e-6)) / 2e-6
                #expect(abs(Foundation.log(numeric) - warping.logSlope(loss)) < 1e-5, "\(warping.form) at \(loss)")
            }
        }
    }

    @Test func everyCandidateKeepsTheOrderOfTheLosses() {
        let losses = [7.0, -1.0, 3.0, 1e6, 2.0, 0.0, 45.0]
        let order = losses.indices.sorted { losses[$0] < losses[$1] }
        for warping in LossWarping.candidates(for: losses) {
            let warped = losses.map { warping($0) }
            #expect(warped.indices.sorted { warped[$0] < warped[$1] } == order, "\(warping.form)")
        }
    }

    @Test func compressionKeepsTheBetterHalfAndPullsInTheWorse() throws {
        let losses = [1.0, 2.0, 3.0, 4.0, 1000.0]
        let compression = try #require(LossWarping.candidates(for: losses).first)
        #expect(compression.form == .compressedWorseHalf(median: 3, spread: 2))
        #expect([1.0, 2.0, 3.0].map { compression($0) } == [1, 2, 3])
        #expect(compression(1000) < 20)
    }

    @Test func choosesALogarithmForLossesSpanningOrdersOfMagnitude() {
        let (inputs, losses) = Self.exponentialLosses(count: 30)
        var random = SeededRandom(seed: 5, trial: 0)
        let chosen = LossWarping.choose(losses: losses, inputs: inputs, random: &random)
        guard case .logarithm = chosen.form else {
            Issue.record("chose \(chosen.form)")
            return
        }
    }

    @Test func keepsASmoothLinearFunctionNearlyLinear() {
        var random = SeededRandom(seed: 6, trial: 0)
        let inputs = (0..<30).map { _ in [random.uniform(), random.uniform()] }
        let losses = inputs.map { 2 * $0[0] - $0[1] }
        let chosen = LossWarping.choose(losses: losses, inputs: inputs, random: &random)
        // Nearly linear: either the compression (linear on the better half) or a logarithm whose
        // offset is at least the better half's spread.
        if case let .logarithm(minimum, offset) = chosen.form {
            let sorted = losses.sorted()
            #expect(offset >= sorted[sorted.count / 2] - minimum, "chose \(chosen.form)")
        }
    }

    @Test func choosesFromASubsetWhenThereAreManyTrials() {
        let (inputs, losses) = Self.exponentialLosses(count: 90)
        var random = SeededRandom(seed: 7, trial: 0)
        let chosen = LossWarping.choose(losses: losses, inputs: inputs, points: 20, random: &random)
        guard case .logarithm = chosen.form else {
            Issue.record("chose \(chosen.form)")
            return
        }
    }
}

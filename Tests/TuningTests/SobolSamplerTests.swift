import Foundation
import Testing
@testable import Tuning

@Suite struct SobolSamplerTests {
    /// Unscrambled points from SciPy 1.x `qmc.Sobol(d=40, scramble=False)` (Gray-code order), at
    /// dimensions 1, 2, 3, 10, 21 and 40.
    @Test func unscrambledPointsMatchTheReference() throws {
        let sequence = try SobolSequence(dimensions: 40, scramble: nil)
        let expected: [Int: [Double]] = [
            1: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
            2: [0.75, 0.25, 0.25, 0.75, 0.25, 0.25],
            3: [0.25, 0.75, 0.75, 0.25, 0.75, 0.75],
            5: [0.875, 0.875, 0.125, 0.125, 0.625, 0.375],
            13: [0.8125, 0.6875, 0.8125, 0.4375, 0.5625, 0.9375],
            63: [0.015625, 0.796875, 0.359375, 0.578125, 0.234375, 0.171875],
        ]
        for (index, values) in expected {
            let point = sequence.point(index)
            #expect([0, 1, 2, 9, 20, 39].map { point[$0] } == values, "point \(index)")
        }
    }

    /// Every dimension of the first 2^m points (scrambled or not) puts one point in each of the
    /// 2^m equal slices of [0, 1); the first two dimensions form a (0, m, 2)-net, so they fill a
    /// 2^(m/2) x 2^(m/2) grid with one point per cell.
    @Test(arguments: [false, true])
    func firstPointsAreStratified(scrambled: Bool) throws {
        let sequence = try SobolSequence(dimensions: 40, scramble: scrambled ? SeededRandom(seed: 4, trial: 0) : nil)
        let points = (0..<256).map(sequence.point)
        for dimension in 0..<40 {
            #expect(Set(points.map { Int($0[dimension] * 256) }).count == 256, "dimension \(dimension + 1)")
        }
        #expect(Set(points.map { Int($0[0] * 16) * 16 + Int($0[1] * 16) }).count == 256)
    }

    /// A digital shift XORs every point of a dimension with one number, so the top two bits
    /// (the quarter of [0, 1)) of the first four points all change by the same XOR, and those
    /// points keep the unscrambled sequence's lockstep across dimensions. Nested scrambling
    /// flips the second bit by a draw that depends on the first, so in about half of the
    /// dimensions the four points change quarters by different XORs; they still fill the quarters.
    @Test func scramblingIsNotOneShiftPerDimension() throws {
        let plain = try SobolSequence(dimensions: 40, scramble: nil)
        let scrambled = try SobolSequence(dimensions: 40, scramble: SeededRandom(seed: 4, trial: 0))
        let quarters = { (sequence: SobolSequence, dimension: Int) in (0..<4).map { Int(sequence.point($0)[dimension] * 4) } }
        let unshifted = (0..<40).filter { dimension in
            Set(zip(quarters(plain, dimension), quarters(scrambled, dimension)).map { $0 ^ $1 }).count > 1
        }
        #expect(unshifted.count >= 10)
        #expect((0..<40).allSatisfy { Set(quarters(scrambled, $0)).count == 4 })
    }

    @Test func tooManyDimensionsIsAnError() {
        #expect(throws: TuningError.self) { try SobolSequence(dimensions: 41, scramble: nil) }
    }

    @Test func samplerUsesTheTrialNumberAndTheSeed() async throws {
        let space = sphereSpace(dimensions: 3)
        func run(seed: UInt64) async throws -> [[String: ParameterValue]] {
            let study = try Study(name: "q", space: space, seed: seed, storage: InMemoryStorage(), sampler: SobolSampler(), heartbeat: .off)
            try await study.optimize(sphereObjective, stop: [.trials(16)])
            return try study.trials().map(\.params)
        }
        let first = try await run(seed: 1)
        #expect(try await run(seed: 1) == first)
        #expect(try await run(seed: 2) != first)
        let x0 = first.map { Int(($0["x0"]!.doubleValue! + 1) / 2 * 16) }
        #expect(Set(x0).count == 16)
    }
}

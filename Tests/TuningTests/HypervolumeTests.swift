import Testing
@testable import Tuning

/// Hypervolumes of hand-made sets; the expected values come from inclusion–exclusion: the
/// union of boxes is the sum of the boxes, minus each pair's overlap (the box of their
/// componentwise maximum), plus each triple's, and so on.
@Suite struct HypervolumeTests {
    // Against (4, 4, 4): boxes 6, 12 and 3; pair overlaps 4 (a, b), 1 (a, c), 2 (b, c); triple 1.
    private static let a: [Double] = [1, 2, 3], b: [Double] = [2, 1, 2], c: [Double] = [3, 3, 1]

    @Test func threeObjectivesMatchInclusionExclusion() {
        #expect(Pareto.hypervolume([[0, 0, 0]], reference: [1, 1, 1]) == 1)
        #expect(Pareto.hypervolume([Self.a, Self.b], reference: [4, 4, 4]) == 14)
        #expect(Pareto.hypervolume([Self.a, Self.b, Self.c], reference: [4, 4, 4]) == 6 + 12 + 3 - 4 - 1 - 2 + 1)
        // Dominated, repeated, outside and wrongly sized points add nothing.
        let extra: [[Double]] = [[3, 3, 3], Self.b, [0, 0, 5], [1, 1]]
        #expect(Pareto.hypervolume([Self.a, Self.b, Self.c] + extra, reference: [4, 4, 4]) == 15)
        #expect(Pareto.hypervolume([], reference: [1, 1, 1]) == 0)
    }

    @Test func fourObjectivesMatchInclusionExclusion() {
        // Against (2, 2, 2, 2): boxes 2, 2 and 4; every overlap is the unit box (1, 1, 1, 1).
        let points: [[Double]] = [[0, 1, 1, 1], [1, 0, 1, 1], [1, 1, 0, 0]]
        #expect(Pareto.hypervolume(points, reference: [2, 2, 2, 2]) == 2 + 2 + 4 - 1 - 1 - 1 + 1)
    }

    @Test func twoObjectivesAgreeWithTheSweep() {
        var random = SeededRandom(seed: 3, trial: 0, stream: 0)
        let points = (0..<40).map { _ in [random.uniform(), random.uniform()] }
        let exact = Pareto.hypervolume2D(points, reference: [1.1, 1.2])
        #expect(abs(Pareto.hypervolume(points, reference: [1.1, 1.2]) - exact) < 1e-12)
        #expect(Pareto.hypervolume([[0.5]], reference: [2]) == 1.5)
    }

    @Test func contributionsAreWhatEachPointAloneAdds() {
        // 15 minus the hypervolume of the other two: 15 − 13, 15 − 8, 15 − 14.
        let contributions = Pareto.hypervolumeContributions([Self.a, Self.b, Self.c], reference: [4, 4, 4])
        #expect(contributions == [2, 7, 1])
        #expect(Pareto.hypervolumeContributions([Self.a, [3, 3, 3]], reference: [4, 4, 4]) == [5, 0])
    }

    @Test func twoObjectiveContributionsMatchTheGeneralPath() {
        // Random fronts with dominated points (some uncovered when their dominator goes), exact
        // repeats, ties in one objective, points outside the reference and wrongly sized ones.
        var random = SeededRandom(seed: 7, trial: 0, stream: 0)
        for size in [1, 2, 5, 40, 200] {
            var points = (0..<size).map { _ in [random.uniform(), random.uniform()] }
            points += points.prefix(3).map { $0 }
            points += points.prefix(4).map { [$0[0], min($0[1] + 0.05, 1.05)] }
            points += points.prefix(2).map { [$0[0] + 0.01, $0[1]] }
            points += [[1.2, 0.1], [0.1, 1.1], [0.3]]
            let reference: [Double] = [1.1, 1.1]
            let fast = Pareto.hypervolumeContributions(points, reference: reference)
            let general = Pareto.contributionsByRemoval(points, reference: reference)
            #expect(fast.count == general.count)
            for (a, b) in zip(fast, general) { #expect(abs(a - b) < 1e-12, "\(size) points: \(a) against \(b)") }
        }
        // By hand against (4, 4): (1, 3) alone adds 1 × 1 = 1 (up to (2, 4)); (2, 1) adds the box
        // up to (4, 3), 2 × 2 = 4, less (3, 2)'s share 1 × 1 = 1, which it uncovers: 3.
        #expect(Pareto.hypervolumeContributions([[1, 3], [2, 1], [3, 2]], reference: [4, 4]) == [1, 3, 0])
        // A point that the first dominates still covers a corner of the first's box.
        #expect(Pareto.hypervolumeContributions([[0, 0], [0.5, 0.5]], reference: [1, 1]) == [0.75, 0])
        #expect(Pareto.hypervolumeContributions([[0, 0.5], [0.5, 0], [0.25, 0.75]], reference: [1, 1]) == [0.1875, 0.25, 0])
        // A point alone: its box; its duplicate leaves both with nothing of their own.
        #expect(Pareto.hypervolumeContributions([[0.5, 0.5]], reference: [1, 1]) == [0.25])
        #expect(Pareto.hypervolumeContributions([[0.5, 0.5], [0.5, 0.5], [0.25, 0.75]], reference: [1, 1]) == [0, 0, 0.0625])
    }

    @Test func dtlz2LiesOnTheUnitSphereWhereTheTailIsAHalf() {
        let corner = ParetoTestObjective.Function.dtlz2([0, 0, 0.5, 0.5])
        #expect(corner == [1, 0, 0])
        let values = ParetoTestObjective.Function.dtlz2([0.3, 0.7, 0.5, 0.5, 0.5])
        #expect(abs(values.reduce(0) { $0 + $1 * $1 } - 1) < 1e-12)
        // Away from 0.5 the radius grows by Σ (x − 0.5)².
        let off = ParetoTestObjective.Function.dtlz2([0.3, 0.7, 0, 1])
        #expect(abs(off.reduce(0) { $0 + $1 * $1 }.squareRoot() - 1.5) < 1e-12)
        #expect(throws: TuningError.self) { try ParetoTestObjective.Function.dtlz2.space(dimensions: 2) }
    }

    @Test func studyHypervolumeTurnsValuesIntoLossesAndDefaultsItsReference() throws {
        func trial(_ number: Int, _ values: [Double]) -> TrialRecord {
            TrialRecord(id: Int64(number), number: number, state: .complete, value: values[0],
                        userAttributes: [TrialRecord.objectiveValuesKey: TrialRecord.encodedObjectiveValues(values)])
        }
        // Maximize accuracy, minimize size: (0.9, 10) and (0.8, 5) trade off; (0.7, 20) is dominated.
        let trials = [trial(0, [0.9, 10]), trial(1, [0.8, 5]), trial(2, [0.7, 20])]
        let directions: [StudyDirection] = [.maximize, .minimize]
        // Against (0.5, 30): 0.4 · 20 + 0.3 · 5 = 9.5.
        let given = try StudyHypervolume(trials: trials, directions: directions, reference: [0.5, 30])
        #expect(abs(given.value - 9.5) < 1e-12)
        #expect(given.reference == [0.5, 30])
        // By default a tenth of each range past the worst: (0.7 − 0.02, 20 + 1.5).
        let byDefault = try StudyHypervolume(trials: trials, directions: directions)
        #expect(abs(byDefault.reference[0] - 0.68) < 1e-12 && byDefault.reference[1] == 21.5)
        #expect(abs(byDefault.value - (0.22 * 11.5 + 0.12 * 5)) < 1e-12)
        #expect(byDefault.text.hasPrefix("hypervolume 3.13 (reference point 0.68, 21.5)"))
        #expect(throws: TuningError.self) { try StudyHypervolume(trials: trials, directions: directions, reference: [1]) }
    }
}

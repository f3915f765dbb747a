import Testing
@testable import Tuning

@Suite struct ParetoTests {
    @Test func dominanceNeedsOneStrictlyBetterObjective() {
        #expect(Pareto.dominates([1, 2], [2, 2]))
        #expect(!Pareto.dominates([1, 2], [1, 2]))
        #expect(!Pareto.dominates([1, 3], [2, 2]))
    }

    @Test func sortsHandMadePointsIntoFronts() {
        // 0, 1, 2 trade off; 3 is dominated by 1 only; 4 by 3 (and 1); 5 repeats 0.
        let points: [[Double]] = [[1, 5], [2, 2], [5, 1], [3, 3], [4, 4], [1, 5]]
        #expect(Pareto.fronts(points) == [[0, 1, 2, 5], [3], [4]])
        #expect(Pareto.fronts([]) == [])
    }

    @Test func crowdingGivesExtremesInfinityAndSumsNormalizedGaps() {
        let front: [[Double]] = [[0, 4], [1, 2], [3, 1], [4, 0]]
        let distances = Pareto.crowdingDistances(front)
        #expect(distances[0] == .infinity && distances[3] == .infinity)
        // Point 1: (3 − 0)/4 + (4 − 1)/4 = 1.5; point 2: (4 − 1)/4 + (2 − 0)/4 = 1.25.
        #expect(abs(distances[1] - 1.5) < 1e-12)
        #expect(abs(distances[2] - 1.25) < 1e-12)
        #expect(Pareto.crowdingDistances([[1, 1], [2, 0]]) == [.infinity, .infinity])
    }

    @Test func hypervolumeOfKnownSets() {
        #expect(Pareto.hypervolume2D([[0, 0]], reference: [1, 1]) == 1)
        // Three steps: 3·1 + 2·1 + 1·1 against (4, 4) with points (1, 3), (2, 2), (3, 1).
        #expect(Pareto.hypervolume2D([[1, 3], [2, 2], [3, 1]], reference: [4, 4]) == 6)
        // Dominated and outside points add nothing.
        #expect(Pareto.hypervolume2D([[1, 3], [2, 2], [3, 1], [3, 3], [5, 0], [0, 4]], reference: [4, 4]) == 6)
        #expect(Pareto.hypervolume2D([], reference: [1, 1]) == 0)
    }

    @Test func zdtFrontsAreWhereTheDefinitionSaysAtZeroTail() {
        let x = [0.25, 0, 0, 0]
        #expect(ParetoTestObjective.Function.zdt1(x) == [0.25, 0.5])
        #expect(ParetoTestObjective.Function.zdt2(x) == [0.25, 1 - 0.0625])
    }
}

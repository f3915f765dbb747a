import Foundation
import Testing
@testable import Tuning

@Suite struct TestFunctionTests {
    @Test func knownMinimaAreReached() {
        let branin = TestFunctionObjective.Function.branin
        for point in [[-Double.pi, 12.275], [Double.pi, 2.275], [9.42478, 2.475]] {
            #expect(abs(branin(point) - branin.minimum(dimensions: 2)) < 1e-5)
        }
        let hartmann = TestFunctionObjective.Function.hartmann6
        #expect(abs(hartmann([0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]) - hartmann.minimum(dimensions: 6)) < 1e-4)
        #expect(hartmann([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]) > hartmann.minimum(dimensions: 6))
    }

    @Test(arguments: [
        (TestFunctionObjective.Function.rosenbrock, 1.0), (.rastrigin, 0), (.ackley, 0), (.levy, 1),
        (.styblinskiTang, -2.903534), (.griewank, 0),
    ])
    func scalableFunctionsHaveTheirMinimumAtTheKnownPoint(function: TestFunctionObjective.Function, optimum: Double) {
        for dimensions in [2, 5] {
            let minimum = function.minimum(dimensions: dimensions)
            let best = function(Array(repeating: optimum, count: dimensions))
            #expect(abs(best - minimum) < 1e-4, "\(function) at its optimum")
            #expect(function(Array(repeating: optimum + 0.3, count: dimensions)) > minimum + 1e-3, "\(function) away from it")
        }
    }

    @Test func scalableFunctionsReadAsManyInputsAsTheSpaceHas() async throws {
        let space = try TestFunctionObjective.Function.rosenbrock.space(dimensions: 3)
        #expect(space.parameters.map(\.name) == ["x1", "x2", "x3"])
        let study = try Study(name: "rosenbrock", space: space, sampler: RandomSampler())
        _ = try study.enqueue(["x1": .double(1), "x2": .double(1), "x3": .double(2)])
        let trial = try #require(try study.ask())
        let value = try await TestFunctionObjective(.rosenbrock).evaluate(trial)
        #expect(abs(value - 100) < 1e-9)
    }
}

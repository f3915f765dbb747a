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
        let camel = TestFunctionObjective.Function.sixHumpCamel
        for point in [[0.0898, -0.7126], [-0.0898, 0.7126]] {
            #expect(abs(camel(point) - camel.minimum(dimensions: 2)) < 1e-4)
        }
        let hartmann3 = TestFunctionObjective.Function.hartmann3
        #expect(abs(hartmann3([0.114614, 0.555649, 0.852547]) - hartmann3.minimum(dimensions: 3)) < 1e-4)
        let michalewicz = TestFunctionObjective.Function.michalewicz
        #expect(abs(michalewicz([2.20, 1.57]) - michalewicz.minimum(dimensions: 2)) < 1e-3)
        let dixonPrice = TestFunctionObjective.Function.dixonPrice
        let dixonOptimum = (1...4).map { pow(2, -(pow(2, Double($0)) - 2) / pow(2, Double($0))) }
        #expect(abs(dixonPrice(dixonOptimum)) < 1e-9)
        #expect(dixonPrice([0.5, 0.5, 0.5, 0.5]) > 1e-3)
        let powell = TestFunctionObjective.Function.powell
        #expect(powell(Array(repeating: 0, count: 8)) == 0)
        #expect(powell([0.3, 0, 0, 0, 0, 0, 0, 0]) > 1e-3)
    }

    @Test(arguments: [
        (TestFunctionObjective.Function.rosenbrock, 1.0), (.rastrigin, 0), (.ackley, 0), (.levy, 1),
        (.styblinskiTang, -2.903534), (.griewank, 0), (.zakharov, 0),
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

import Foundation
@testable import Tuning

/// Branin–Hoo on x in [-5, 10], y in [0, 15]; global minimum 0.397887.
func branin(_ x: Double, _ y: Double) -> Double {
    let b = 5.1 / (4 * Double.pi * Double.pi), c = 5 / Double.pi, t = 1 / (8 * Double.pi)
    let inner = y - b * x * x + c * x - 6
    return inner * inner + 10 * (1 - t) * cos(x) + 10
}

let braninSpace = try! SearchSpace([.float("x", -5...10), .float("y", 0...15)])

/// Branin as an objective.
let braninObjective = FunctionObjective { trial in
    branin(try trial.double("x"), try trial.double("y"))
}

/// The sphere function sum((x_i - 0.3)^2) over `dimensions` parameters x0... in [-1, 1].
func sphereSpace(dimensions: Int) -> SearchSpace {
    try! SearchSpace((0..<dimensions).map { .float("x\($0)", -1...1) })
}

let sphereObjective = FunctionObjective { trial in
    trial.params.values.reduce(0) { sum, value in
        let x = value.doubleValue ?? 0
        return sum + (x - 0.3) * (x - 0.3)
    }
}

/// Runs a study on an in-memory storage and returns its best value.
func bestValue(
    sampler: any Sampler, space: SearchSpace, objective: some Objective, trials: Int, seed: UInt64
) async throws -> Double {
    let study = try Study(name: "s", space: space, seed: seed, storage: InMemoryStorage(), sampler: sampler, heartbeat: .off)
    let summary = try await study.optimize(objective, stop: [.trials(trials)])
    return summary.best?.value ?? .infinity
}

/// The median of a list.
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

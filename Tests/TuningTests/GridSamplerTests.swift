import Foundation
import Testing
@testable import Tuning

@Suite struct GridSamplerTests {
    static let space = try! SearchSpace([
        .categorical("optimizer", ["sgd", "adam"]),
        Parameter.float("momentum", 0...0.9, step: 0.45).when("optimizer", is: "sgd"),
        .int("units", 16...64, step: 16),
        .fixed("epochs", 5),
    ])

    @Test func conditionalParametersExpandOnlyUnderTheirParent() throws {
        let points = try GridSampler().points(in: Self.space, seed: 0)
        // sgd: 3 momenta x 4 unit counts; adam: 4 unit counts.
        #expect(points.count == 16)
        #expect(Set(points).count == 16)
        #expect(points.filter { $0["optimizer"] == "adam" }.allSatisfy { $0["momentum"] == nil })
        let shuffled = try GridSampler(shuffle: true).points(in: Self.space, seed: 3)
        #expect(Set(shuffled) == Set(points))
        #expect(shuffled != points)
    }

    @Test func everyPointOnceAcrossWorkersThenTheStudyStops() async throws {
        let path = temporaryDatabasePath("grid")
        // Two studies on two connections to one file stand in for two processes.
        let first = try Study(name: "g", space: Self.space, storage: try SQLStorage.sqlite(path: path), sampler: GridSampler(), heartbeat: .off)
        let second = try Study(name: "g", space: Self.space, storage: try SQLStorage.sqlite(path: path), sampler: GridSampler(), heartbeat: .off)
        let objective = FunctionObjective { trial in
            try await Task.sleep(for: .milliseconds(2))
            return Double(try trial.int("units"))
        }
        async let a = first.optimize(objective, stop: [.trials(100)], concurrency: 3)
        async let b = second.optimize(objective, stop: [.trials(100)], concurrency: 3)
        let summaries = try await [a, b]
        #expect(summaries.map(\.completed).reduce(0, +) == 16)
        let visited = try first.trials().map(\.params)
        #expect(visited.count == 16)
        #expect(Set(visited) == Set(try GridSampler().points(in: Self.space, seed: 0)))
    }

    @Test func explicitValuesAndBadSettingsAreChecked() throws {
        let space = try SearchSpace([.float("x", 0...1), .float("lr", 1e-4...1, log: true)])
        let points = try GridSampler(floatPoints: 2, values: ["x": [0.1, 0.2, 0.3]]).points(in: space, seed: 0)
        #expect(points.count == 6)
        #expect(throws: TuningError.self) { try GridSampler(values: ["y": [1]]).points(in: space, seed: 0) }
        #expect(throws: TuningError.self) { try GridSampler(values: ["x": [2.0]]).points(in: space, seed: 0) }
        #expect(throws: TuningError.self) { try GridSampler(floatPoints: 0).points(in: space, seed: 0) }
    }
}

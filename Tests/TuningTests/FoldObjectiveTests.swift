import Foundation
import Testing
@testable import Tuning

/// `objective.folds`: trials that cross-validate, and pruning after the first fold.
@Suite struct FoldObjectiveTests {
    func study(name: String, space: String, extra: String = "", trials: Int, objective: String = "folds: 3") throws -> StudyRunner {
        try StudyRunner.start(yaml: """
            name: \(name)
            direction: maximize
            storage: "memory:"
            space:
            \(space)
            \(extra)
            stop: {trials: \(trials)}
            objective: {train: "\(TrainingObjectiveTests.description)", metric: val_accuracy, device: cpu, \(objective)}
            """)
    }

    @Test func aTrialsValueIsTheMeanOverItsFoldsReportedFoldByFold() async throws {
        let runner = try study(name: "digits-folds", space: "  epochs: 2\n  learning_rate: 0.01", trials: 1)
        let summary = try await runner.run()
        #expect(summary.completed == 1)
        let trial = try #require(try runner.study.trials().first)
        // Steps count the folds from 1; each is the running mean, the last is the value.
        #expect(trial.intermediateValues.keys.sorted() == [1, 2, 3])
        #expect(trial.value == trial.intermediateValues[3])
        #expect((trial.value ?? 0) > 0.5)
        #expect(trial.intermediateValues[1] != trial.intermediateValues[3])
    }

    @Test func medianPrunerStopsABadConfigurationAfterItsFirstFold() async throws {
        let runner = try study(
            name: "digits-folds-pruned",
            space: """
              learning_rate: {type: float, low: 1.0e-6, high: 1.0e-2, log: true}
              optimizer: [adam, sgd]
              epochs: 2
            """,
            extra: """
            pruner: {type: median, startup_trials: 1}
            enqueue:
              - {learning_rate: 0.01, optimizer: adam}
              - {learning_rate: 1.0e-6, optimizer: sgd}
            """,
            trials: 2, objective: "folds: 2")
        let summary = try await runner.run()
        #expect(summary.completed == 1 && summary.pruned == 1)
        let trials = try runner.study.trials().sorted { $0.number < $1.number }
        #expect(trials.map(\.state) == [.complete, .pruned])
        #expect(trials[1].intermediateValues.keys.sorted() == [1])
    }

    @Test func foldsAndInitialWeightsAreReadFromTheObjective() throws {
        let file = try StudyFile(yaml: "name: s\ndirection: maximize\nspace: {x: 1}\nobjective: {train: a.yaml, metric: val_accuracy, folds: 4, init_weights: /w/base.safetensors}\n")
        let objective = try #require(file.objective as? TrainingObjective)
        #expect(objective.folds == 4)
        #expect(objective.overrides == ["init.weights": .string("/w/base.safetensors")])
        #expect(throws: (any Error).self) { try StudyFile(yaml: "name: s\nspace: {x: 1}\nobjective: {train: a.yaml, folds: 1}\n") }
    }

    @Test func theFoldsExampleReads() throws {
        let study = try StudyFile(contentsOf: StudyFileTests.repositoryRoot.appendingPathComponent("examples/digits-study-folds.yaml").path)
        let objective = try #require(study.objective as? TrainingObjective)
        #expect(objective.folds == 3 && objective.descriptionPath == "examples/digits-tune.yaml")
        #expect(study.pruner is MedianPruner)
    }
}

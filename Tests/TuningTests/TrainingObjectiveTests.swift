import Foundation
import Testing
@testable import Tuning

/// Studies whose trials train examples/digits-tune.yaml on the CPU for a few epochs.
@Suite struct TrainingObjectiveTests {
    static let description = StudyFileTests.repositoryRoot.appendingPathComponent("examples/digits-tune.yaml").path

    /// A study file over the digits description with `space`, `pruner`, `enqueue` and `trials`.
    func study(name: String, space: String, extra: String = "", trials: Int) throws -> StudyRunner {
        try StudyRunner.start(yaml: """
            name: \(name)
            direction: maximize
            storage: "memory:"
            space:
            \(space)
            \(extra)
            stop: {trials: \(trials)}
            objective: {train: "\(Self.description)", metric: val_accuracy, device: cpu}
            """)
    }

    @Test func trialsReportEveryEpochAndComplete() async throws {
        let runner = try study(
            name: "digits-short",
            space: """
              learning_rate: {type: float, low: 1.0e-3, high: 1.0e-2, log: true}
              hidden_units: {type: int, low: 16, high: 64}
              epochs: 2
            """,
            extra: "sampler: {type: random}", trials: 3)
        let summary = try await runner.run()
        #expect(summary.completed == 3)
        for trial in try runner.study.trials() {
            #expect(trial.state == .complete)
            #expect(trial.intermediateValues.keys.sorted() == [1, 2])
            // The trial's value is its best epoch's validation accuracy.
            #expect(trial.value == trial.intermediateValues.values.max())
            #expect((trial.value ?? 0) > 0.5)
        }
    }

    @Test func medianPrunerStopsABadConfigurationAfterItsFirstEpoch() async throws {
        let runner = try study(
            name: "digits-pruned",
            space: """
              learning_rate: {type: float, low: 1.0e-6, high: 1.0e-2, log: true}
              optimizer: [adam, sgd]
              epochs: 3
            """,
            extra: """
            pruner: {type: median, startup_trials: 2}
            enqueue:
              - {learning_rate: 0.003, optimizer: adam}
              - {learning_rate: 0.002, optimizer: adam}
              - {learning_rate: 1.0e-6, optimizer: sgd}
            """,
            trials: 3)
        let summary = try await runner.run()
        #expect(summary.completed == 2)
        #expect(summary.pruned == 1)
        let trials = try runner.study.trials().sorted { $0.number < $1.number }
        #expect(trials.map(\.state) == [.complete, .complete, .pruned])
        #expect(trials[0].intermediateValues.count == 3)
        #expect(trials[2].intermediateValues.keys.sorted() == [1])
    }

    @Test func aParameterTheDescriptionLacksFailsOnlyItsTrial() async throws {
        let runner = try study(
            name: "digits-unknown",
            space: """
              learning_rate: {type: float, low: 1.0e-3, high: 1.0e-2}
              momentum: {type: float, low: 0.5, high: 0.9}
              epochs: 1
            """,
            trials: 2)
        let summary = try await runner.run()
        #expect(summary.failed == 2)
        for trial in try runner.study.trials() {
            #expect(trial.state == .fail)
            #expect(trial.failReason?.contains("momentum") == true)
        }
    }

    @Test func fileErrorsNameTheObjectiveKeys() throws {
        func error(_ objective: String, direction: String = "maximize") -> String {
            do {
                _ = try StudyFile(yaml: "name: s\ndirection: \(direction)\nspace: {x: 1}\nobjective: \(objective)\n")
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(error("{train: a.yaml, metric: val_accurcy}").contains("objective.metric"))
        #expect(error("{train: a.yaml, metric: val_accuracy}", direction: "minimize").contains("maximized"))
        #expect(error("{train: a.yaml, metric: val_loss, device: tpu}", direction: "minimize").contains("objective.device"))
        #expect(error("{train: a.yaml, epochs: 3}").contains("epochs"))
        let objective = try #require(try StudyFile(yaml: "name: s\nspace: {x: 1}\nobjective: {train: a.yaml, device: cpu}\n").objective as? TrainingObjective)
        #expect(objective.metric.key == "validation_loss")
        #expect(objective.device == .cpu)
    }
}

@Suite struct DigitsStudyExampleTests {
    @Test(arguments: ["digits-study.yaml", "digits-study-pruned.yaml"])
    func examplesRead(file: String) throws {
        let study = try StudyFile(contentsOf: StudyFileTests.repositoryRoot.appendingPathComponent("examples/\(file)").path)
        let objective = try #require(study.objective as? TrainingObjective)
        #expect(objective.descriptionPath == "examples/digits-tune.yaml")
        #expect(objective.metric.key == "val_accuracy")
        #expect(study.space.parameters.map(\.name) == ["learning_rate", "hidden_units", "dropout", "optimizer", "batch_size", "epochs"])
        #expect(study.stop == [.trials(50)])
        #expect((study.pruner is HyperbandPruner) == (file == "digits-study-pruned.yaml"))
    }
}

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

    @Test func cancellingStopsTrainingAndRecordsTheTrialAsInterrupted() async throws {
        let runner = try study(name: "digits-cancelled", space: "  epochs: 500", trials: 1)
        let run = Task { try await runner.run() }
        // Cancel once the first epoch is in: the trial would otherwise train 499 more.
        let trained = await waitUntil { (try? runner.study.trials().first?.intermediateValues.isEmpty == false) ?? false }
        #expect(trained)
        run.cancel()
        let summary = try await run.value
        #expect(summary.stopReason == .cancelled)
        let trial = try #require(try runner.study.trials().first)
        #expect(trial.state == .fail)
        #expect(trial.failReason == TrialOutcome.interruptedReason)
        #expect(trial.intermediateValues.count < 500)
    }

    /// The error of running a study whose objective cannot train any trial; the study must not
    /// have started a trial.
    func errorBeforeTheFirstTrial(space: String, objective: String? = nil) async throws -> String {
        let runner = try StudyRunner.start(yaml: """
            name: digits-broken
            direction: maximize
            storage: "memory:"
            space:
            \(space)
            stop: {trials: 2}
            objective: \(objective ?? "{train: \"\(Self.description)\", metric: val_accuracy, device: cpu}")
            """)
        var message = ""
        do {
            _ = try await runner.run()
        } catch {
            message = "\(error)"
        }
        #expect(try runner.study.trials().isEmpty)
        return message
    }

    @Test func aParameterTheDescriptionLacksStopsTheStudyBeforeItsFirstTrial() async throws {
        let message = try await errorBeforeTheFirstTrial(space: """
              learning_rate: {type: float, low: 1.0e-3, high: 1.0e-2}
              optimizer: [adam, sgd]
              warp_factor: {type: float, low: 0.5, high: 0.9, when: {optimizer: sgd}}
              epochs: 1
            """)
        #expect(message.hasPrefix("training objective: \(Self.description) does not take"))
        #expect(message.contains("warp_factor"))
    }

    @Test func aMissingDescriptionOrDeviceStopsTheStudyBeforeItsFirstTrial() async throws {
        let space = "  learning_rate: {type: float, low: 1.0e-3, high: 1.0e-2}"
        let missing = try await errorBeforeTheFirstTrial(
            space: space, objective: "{train: no-such-description.yaml, metric: val_accuracy, device: cpu}")
        #expect(missing.hasPrefix("training objective: no description file no-such-description.yaml"))
        let device = try await errorBeforeTheFirstTrial(
            space: space, objective: "{train: \"\(Self.description)\", metric: val_accuracy, device: \"opencl:99\"}")
        #expect(device.hasPrefix("training objective: device opencl:99:"))
    }

    @Test func representativeConfigurationsMakeEveryParameterActive() throws {
        let space = try SearchSpace([
            .float("lr", 0.001...0.1, log: true), .categorical("optimizer", ["adam", "sgd", "rmsprop"]),
            Parameter.float("momentum", 0...0.9).when("optimizer", in: ["sgd"]),
            Parameter.categorical("nesterov", [true, false]).when("optimizer", in: ["sgd"]),
            Parameter.float("rho", 0.5...0.9).when("optimizer", in: ["rmsprop"]),
        ])
        let configurations = space.representativeConfigurations()
        #expect(configurations.count == 2)
        #expect(Set(configurations.flatMap(\.keys)) == Set(space.parameters.map(\.name)))
        // The middle of a log range is its geometric mean; the middle choice is sgd.
        #expect(abs((configurations[0]["lr"]?.doubleValue ?? 0) - 0.01) < 1e-12)
        #expect(configurations[0]["optimizer"] == "sgd")
        #expect(configurations[1]["optimizer"] == "rmsprop")
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

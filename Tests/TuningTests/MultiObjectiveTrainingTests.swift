import Testing
@testable import Tuning

/// A training objective that reports model metrics after its metric.
@Suite struct MultiObjectiveTrainingTests {
    @Test func trialsReportAccuracyParametersAndBytes() async throws {
        let runner = try StudyRunner.start(yaml: """
            name: digits-pareto
            directions: [maximize, minimize, minimize]
            storage: "memory:"
            space:
              hidden_units: {type: int, low: 8, high: 32}
              epochs: 1
            stop: {trials: 2}
            objective: {train: "\(TrainingObjectiveTests.description)", metric: [val_accuracy, parameters, model_bytes], device: cpu}
            """)
        #expect(runner.study.sampler is MultiObjectiveAutoSampler)
        let summary = try await runner.run()
        #expect(summary.completed == 2)
        for trial in try runner.study.trials() {
            let hidden = try #require(trial.params["hidden_units"]?.intValue)
            // 64 inputs → hidden → 10 classes, with biases.
            let parameters = Double(64 * hidden + hidden + hidden * 10 + 10)
            #expect(trial.objectiveValues == [try #require(trial.value), parameters, 4 * parameters])
        }
    }

    @Test(arguments: [
        ("[maximize, minimize]", "val_accuracy", "objective.metric", "2 directions but the objective 1 metric"),
        ("[maximize, minimize]", "[val_accuracy, layers]", "objective.metric[1]", "layers"),
        ("[maximize, maximize]", "[val_accuracy, parameters]", "objective.metric[1]", "'parameters' is minimized"),
        ("[minimize, minimize]", "[val_accuracy, parameters]", "objective.metric[0]", "maximized"),
    ])
    func fileErrorsNameTheMetric(directions: String, metric: String, key: String, message: String) {
        do {
            _ = try StudyFile(yaml: "name: s\ndirections: \(directions)\nspace: {x: 1}\nobjective: {train: a.yaml, metric: \(metric)}\n")
            Issue.record("accepted \(metric)")
        } catch let TuningError.studyFile(error) {
            #expect(error.key == key, "\(error)")
            #expect("\(error)".contains(message), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func theParetoExampleReads() throws {
        let path = StudyFileTests.repositoryRoot.appendingPathComponent("examples/digits-pareto-study.yaml").path
        let file = try StudyFile(contentsOf: path)
        #expect(file.directions == [.maximize, .minimize])
        #expect((file.sampler as? NSGA2Sampler)?.populationSize == 12)
        #expect((file.objective as? TrainingObjective)?.modelMetrics == [.parameters])
    }

    @Test func aListOfMetricsReadsAsModelMetrics() throws {
        let file = try StudyFile(yaml: "name: s\ndirections: [maximize, minimize]\nspace: {x: 1}\nobjective: {train: a.yaml, metric: [val_accuracy, model_bytes]}\n")
        let objective = try #require(file.objective as? TrainingObjective)
        #expect(objective.modelMetrics == [.modelBytes])
        #expect(objective.metric.description == "val_accuracy")
    }
}

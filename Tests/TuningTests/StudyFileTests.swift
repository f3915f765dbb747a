import Foundation
import Testing
@testable import Tuning

@Suite struct StudyFileTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: ["branin-study.yaml", "mlp-study.yaml"])
    func examplesRead(file: String) throws {
        let path = Self.repositoryRoot.appendingPathComponent("examples/\(file)").path
        let study = try StudyFile(contentsOf: path)
        #expect(!study.space.parameters.isEmpty)
        #expect(!study.stop.isEmpty)
        #expect(study.enqueue.count == 1)
        if file == "branin-study.yaml" {
            let command = try #require(study.objective as? CommandObjective)
            #expect(command.command == ["python3", "examples/branin.py", "{x}", "{y}"])
            #expect(command.timeout == 10)
        }
    }

    @Test func readsEveryParameterForm() throws {
        let study = try StudyFile(yaml: """
            name: forms
            direction: maximize
            seed: 3
            space:
              lr: {type: float, low: 1e-5, high: 0.1, log: true}
              units: {type: int, low: 16, high: 256, step: 16}
              optimizer: [sgd, adam]
              momentum: {type: float, low: 0, high: 0.99, when: {optimizer: sgd}}
              batch: {type: categorical, choices: [32, 64, "128"]}
              epochs: 20
            stop: {trials: 30, seconds: 60, no_improvement_trials: 10}
            enqueue:
              - {lr: 0.01, optimizer: sgd, momentum: 0.9}
            """)
        #expect(study.direction == .maximize)
        #expect(study.seed == 3)
        #expect(study.space.parameters.map(\.name) == ["lr", "units", "optimizer", "momentum", "batch", "epochs"])
        #expect(study.space["lr"]?.distribution == .float(low: 1e-5, high: 0.1, log: true))
        #expect(study.space["momentum"]?.condition == Condition(parent: "optimizer", values: ["sgd"]))
        #expect(study.space["batch"]?.distribution == .categorical([32, 64, .string("128")]))
        #expect(study.space["epochs"]?.distribution == .fixed(20))
        #expect(study.stop == [.trials(30), .duration(60), .noImprovement(trials: 10)])
        #expect(study.enqueue == [["lr": 0.01, "optimizer": "sgd", "momentum": 0.9]])
    }

    @Test func readsSamplersPrunersAndHeartbeats() throws {
        func file(_ extra: String) throws -> StudyFile {
            try StudyFile(yaml: "name: a\nspace:\n  x: {type: float, low: 0, high: 1}\n" + extra)
        }
        #expect(try file("").sampler is AutoSampler)
        #expect(try file("sampler: {type: auto}").sampler is AutoSampler)
        #expect(try file("").pruner is NoPruner)
        let tpe = try #require(try file("sampler: {type: tpe, startup_trials: 4, multivariate: false}").sampler as? TPESampler)
        #expect(tpe.startupTrials == 4 && !tpe.multivariate)
        let gp = try #require(try file("sampler: {type: gp, startup_trials: 5, oblique: false}").sampler as? GPSampler)
        #expect(gp.startupTrials == 5 && !gp.oblique)
        #expect(try #require(try file("sampler: {type: gp}").sampler as? GPSampler).oblique)
        #expect(try file("sampler: {type: genetic, population_size: 8}").sampler is GeneticSampler)
        #expect(try file("sampler: {type: sobol}").sampler is SobolSampler)
        #expect(try file("sampler: {type: random}").sampler is RandomSampler)
        let grid = try #require(try file("sampler: {type: grid, values: {x: [0.0, 0.5]}}").sampler as? GridSampler)
        #expect(grid.values == ["x": [0.0, 0.5]])
        #expect(try file("pruner: {type: median, warmup_steps: 2}").pruner is MedianPruner)
        #expect(try file("pruner: {type: percentile, percentile: 25}").pruner is PercentilePruner)
        #expect(try file("pruner: {type: asha, reduction_factor: 2}").pruner is SuccessiveHalvingPruner)
        let hyperband = try #require(try file("pruner: {type: hyperband, max_resource: 27}").pruner as? HyperbandPruner)
        #expect(hyperband.bracketCount == 4)
        let function = try #require(try file("objective: {function: hartmann6}").objective as? TestFunctionObjective)
        #expect(function.function == .hartmann6)
        let heartbeat = try file("heartbeat: {interval_seconds: 2, grace_seconds: 10, requeue: true}").heartbeat
        #expect(heartbeat == HeartbeatSettings(interval: 2, gracePeriod: 10, requeue: true))
    }

    /// Each broken file must fail with the key path and line of the culprit.
    @Test(arguments: [
        ("name: a\nspace:\n  x: {type: float, low: 1, high: 0}\n", "space.x", 3),
        ("name: a\nspace:\n  x: {type: float, low: 1, high: 2}\n  y: {type: flot, low: 1, high: 2}\n", "space.y.type", 4),
        ("name: a\nspace:\n  x: {type: float, low: 1, high: 2, lgo: true}\n", "space.x.lgo", 3),
        ("name: a\nspace:\n  x: {type: float, low: one, high: 2}\n", "space.x.low", 3),
        ("name: a\nspace:\n  x: {type: float, low: 0, high: 2}\n  m: {type: float, low: 0, high: 1, when: {opt: sgd}}\n", "space.m", 4),
        ("name: a\nspace:\n  x: {type: int, low: 0, high: 2}\nstop:\n  trials: 0\n", "stop.trials", 5),
        ("name: a\nspaces:\n  x: 1\n", "spaces", 2),
        ("name: a\nspace:\n  x: {type: int, low: 0, high: 2}\nenqueue:\n  - {x: 7}\n", "enqueue[0].x", 5),
        ("name: a\nspace:\n  x: {type: int, low: 0, high: 2\n", "", 4),
        ("name: a\n", "", 1),
        ("name: a\nspace:\n  x: 1\nsampler:\n  type: bayes\n", "sampler.type", 5),
        ("name: a\nspace:\n  x: {type: int, low: 0, high: 2}\nsampler: {type: tpe, candidates: 0}\n", "sampler", 4),
        ("name: a\nspace:\n  x: 1\npruner:\n  type: percentile\n  percentile: 150\n", "pruner", 5),
        ("name: a\nspace:\n  x: 1\npruner:\n  type: hyperband\n", "pruner", 5),
        ("name: a\nspace:\n  x: 1\npruner: {type: median, warmup: 3}\n", "pruner.warmup", 4),
        ("name: a\nspace:\n  x: {type: int, low: 0, high: 2}\nsampler: {type: grid, values: {y: [1]}}\n", "sampler.values.y", 4),
        ("name: a\nspace:\n  x: 1\nobjective:\n  command: []\n", "objective.command", 5),
        ("name: a\nspace:\n  x: 1\nobjective:\n  function: himmelblau\n", "objective.function", 5),
        ("name: a\nspace:\n  x: 1\nobjective:\n  command: run\n  timeout_seconds: -1\n", "objective.timeout_seconds", 6),
    ])
    func errorsNameKeyAndLine(yaml: String, key: String, line: Int) {
        expectStudyFileError(yaml, key: key, line: line)
    }
}

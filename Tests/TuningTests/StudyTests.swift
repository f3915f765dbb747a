import Foundation
import Synchronization
import Testing
@testable import Tuning

@Suite struct StudyTests {
    func makeStudy(_ name: String = "s", storage: any Storage = InMemoryStorage(), sampler: any Sampler = RandomSampler(),
                   pruner: any Pruner = NoPruner(), seed: UInt64 = 1) throws -> Study {
        try Study(name: name, space: unitSpace, seed: seed, storage: storage, sampler: sampler, pruner: pruner, heartbeat: .off)
    }

    @Test func runsUntilTheTrialLimit() async throws {
        let study = try makeStudy()
        let summary = try await study.optimize(stop: [.trials(12)]) { trial in try trial.double("x") }
        #expect(summary.completed == 12)
        #expect(summary.stopReason == .trialLimit)
        let trials = try study.trials()
        #expect(trials.count == 12)
        #expect(summary.best?.value == trials.compactMap(\.value).min())
        #expect(trials.allSatisfy { $0.startedAt != nil && $0.finishedAt != nil })
    }

    @Test func failuresAreRecordedAndNeverStopTheStudy() async throws {
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        let study = try makeStudy()
        let summary = try await study.optimize(stop: [.trials(8)]) { trial in
            switch trial.number % 4 {
            case 0: throw Boom()
            case 1: return .nan
            case 2: return .infinity
            default: return try trial.double("x")
            }
        }
        #expect(summary.failed == 6)
        #expect(summary.completed == 2)
        let trials = try study.trials()
        #expect(trials[0].state == .fail && trials[0].failReason == "boom")
        #expect(trials[1].failReason == "the objective returned nan")
        #expect(trials[2].failReason == "the objective returned inf")
        #expect(trials[3].state == .complete)
    }

    @Test func prunedTrialsKeepTheirIntermediateValues() async throws {
        let study = try makeStudy()
        try await study.optimize(stop: [.trials(3)]) { trial in
            for step in 1...4 {
                try trial.report(Double(10 * trial.number + step), step: step)
                if trial.number == 1, step == 3 { throw TrialPruned() }
            }
            return 0.5
        }
        let pruned = try study.trials()[1]
        #expect(pruned.state == .pruned)
        #expect(pruned.intermediateValues == [1: 11, 2: 12, 3: 13])
        #expect(pruned.value == 13)
    }

    @Test func reportingNaNFailsTheTrial() async throws {
        let study = try makeStudy()
        try await study.optimize(stop: [.trials(1)]) { trial in
            try trial.report(.nan, step: 2)
            return 1
        }
        let trial = try study.trials()[0]
        #expect(trial.state == .fail)
        #expect(trial.failReason?.contains("nan at step 2") == true)
    }

    @Test func enqueuedConfigurationsRunFirstAndPartialOnesAreFilled() async throws {
        let space = try SearchSpace([.float("x", 0...1), .categorical("c", ["a", "b"])])
        let study = try Study(name: "q", space: space, storage: InMemoryStorage(), sampler: RandomSampler(), heartbeat: .off)
        try study.enqueue(["x": 0.5, "c": "b"])
        try study.enqueue(["c": "a"])
        #expect(throws: TuningError.self) { try study.enqueue(["x": 2.0]) }
        try await study.optimize(stop: [.trials(4)]) { trial in try trial.double("x") }
        let trials = try study.trials()
        #expect(trials[0].params == ["x": 0.5, "c": "b"])
        #expect(trials[1].params["c"] == "a" && trials[1].params["x"] != nil)
        #expect(trials.count == 4 && trials.allSatisfy { $0.state == .complete })
    }

    @Test func stopsWhenNothingImproves() async throws {
        let study = try makeStudy()
        // Values rise with the trial number: only trial 0 is ever the best.
        let summary = try await study.optimize(stop: [.trials(100), .noImprovement(trials: 5)]) { trial in
            Double(trial.number)
        }
        #expect(summary.stopReason == .noImprovement)
        #expect(try study.trials().count == 6)
    }

    @Test func stopsAfterItsTime() async throws {
        let study = try makeStudy()
        // The clock moves only while a trial runs, half a second per trial: a two-second limit
        // admits exactly four trials (the one running at the limit finishes), however slowly
        // the machine runs them.
        let clock = ManualClock()
        let summary = try await study.optimize(
            FunctionObjective { _ in
                clock.advance(by: 0.5)
                return 1
            }, stop: [.duration(2)], concurrency: 1, now: clock.now, onTrialFinished: nil)
        #expect(summary.stopReason == .duration)
        #expect(summary.completed == 4)
        #expect(summary.elapsed == 2)
    }

    /// Runs `study` with an objective that waits for cancellation in the trials `hangs` picks and
    /// returns 1 in the others; cancels the run once a hanging trial has started.
    func interruptRun(of study: Study, hangs: @escaping @Sendable (Trial) throws -> Bool) async throws -> OptimizationSummary {
        let (started, hanging) = AsyncStream.makeStream(of: Int.self)
        let run = Task {
            try await study.optimize(stop: [.trials(100)]) { trial in
                guard try hangs(trial) else { return 1 }
                hanging.yield(trial.number)
                try await Task.sleep(for: .seconds(600))
                return 1
            }
        }
        for await _ in started { break }
        run.cancel()
        return try await run.value
    }

    @Test(arguments: [false, true])
    func interruptedTrialsFailAndAreRequeuedWhenAsked(requeue: Bool) async throws {
        let study = try Study(
            name: "i", space: unitSpace, storage: InMemoryStorage(), sampler: RandomSampler(),
            heartbeat: HeartbeatSettings(interval: 0, gracePeriod: .infinity, requeue: requeue))
        let summary = try await interruptRun(of: study) { $0.number == 0 }
        #expect(summary.stopReason == .cancelled)
        #expect(summary.failed == 1)
        let trials = try study.trials()
        #expect(trials[0].state == .fail)
        #expect(trials[0].failReason == TrialOutcome.interruptedReason)
        if requeue {
            #expect(trials.count == 2)
            #expect(trials[1].state == .waiting)
            #expect(trials[1].params == trials[0].params)
            #expect(trials[1].userAttributes["retry_of"] == "0")
        } else {
            #expect(trials.count == 1)
        }
    }

    @Test func theGridPointOfAnInterruptedTrialIsEvaluatedWhenTheStudyResumes() async throws {
        let storage = InMemoryStorage()
        let space = try SearchSpace([.categorical("c", ["a", "b", "c"])])
        let first = try Study(name: "g", space: space, storage: storage, sampler: GridSampler(), heartbeat: .off)
        _ = try await interruptRun(of: first) { try $0.string("c") == "b" }
        #expect(try first.trials().filter { $0.state == .complete }.map { $0.params["c"] } == ["a"])

        let resumed = try Study(name: "g", space: space, storage: storage, sampler: GridSampler(), heartbeat: .off)
        let summary = try await resumed.optimize(stop: []) { _ in 1 }
        #expect(summary.stopReason == .trialLimit)
        let complete = try resumed.trials().filter { $0.state == .complete }.compactMap { $0.params["c"]?.stringValue }
        #expect(complete.sorted() == ["a", "b", "c"])
    }

    @Test func aSeededSerialStudyRepeatsExactly() async throws {
        func run(seed: UInt64) async throws -> [[String: ParameterValue]] {
            let study = try Study(name: "r", space: braninSpace, seed: seed, storage: InMemoryStorage(), sampler: RandomSampler(), heartbeat: .off)
            try await study.optimize(braninObjective, stop: [.trials(10)])
            return try study.trials().map(\.params)
        }
        let first = try await run(seed: 5)
        #expect(try await run(seed: 5) == first)
        #expect(try await run(seed: 6) != first)
    }

    @Test func parallelWorkersShareOneStudyWithoutDuplicates() async throws {
        let storage = try SQLStorage.sqlite(path: temporaryDatabasePath("parallel"))
        let study = try makeStudy("p", storage: storage)
        let summary = try await study.optimize(stop: [.trials(40)], concurrency: 4) { trial in
            try await Task.sleep(for: .milliseconds(Int.random(in: 1...5)))
            return try trial.double("x")
        }
        #expect(summary.completed == 40)
        let trials = try study.trials()
        #expect(trials.map(\.number) == Array(0..<40))
        #expect(Set(trials.map(\.id)).count == 40)
        #expect(trials.allSatisfy { $0.state == .complete })
    }

    @Test func aStudyOfTheSameNameMustMatch() throws {
        let storage = InMemoryStorage()
        _ = try makeStudy(storage: storage, seed: 1)
        #expect(throws: TuningError.studyMismatch(name: "s", reason: "seed 1, not 2")) {
            _ = try makeStudy(storage: storage, seed: 2)
        }
        #expect(throws: TuningError.studyNotFound("nope")) { _ = try Study(loading: "nope", storage: storage) }
    }

    @Test func deadWorkersTrialsAreFailedAndRequeued() async throws {
        let storage = InMemoryStorage()
        // Timings with wide margins (a heartbeat every 0.1 s against a 1.5 s grace period): the
        // suite shares two cores with CPU-heavy tests, which can delay a heartbeat task.
        let beats = HeartbeatSettings(interval: 0.1, gracePeriod: 1.5, requeue: true)
        let study = try Study(name: "h", space: unitSpace, storage: storage, sampler: RandomSampler(), heartbeat: beats)
        // A worker that claims a trial and dies: no tell, no heartbeats.
        let orphan = try #require(try study.ask())
        try await Task.sleep(for: .milliseconds(1_700))
        // Trial 2 outlasts the grace period while the other worker keeps asking (and checking for
        // dead trials); its heartbeats keep it alive.
        try await study.optimize(stop: [.trials(12)], concurrency: 2) { trial in
            try await Task.sleep(for: .milliseconds(trial.number == 2 ? 2_500 : 40))
            return try trial.double("x")
        }
        let trials = try study.trials()
        #expect(trials[orphan.number].state == .fail)
        #expect(trials[1].state == .complete)
        #expect(trials[1].params == orphan.params)
        #expect(trials[1].userAttributes["retry_of"] == "0")
        #expect(trials.dropFirst().allSatisfy { $0.state == .complete })
    }
}

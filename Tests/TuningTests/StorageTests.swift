import Foundation
import Testing
@testable import Tuning

@Suite struct StorageTests {
    let definition = StudyDefinition(name: "s", direction: .minimize, seed: 9, space: unitSpace)
    let now = Date(timeIntervalSince1970: 1_000_000)

    @Test(arguments: StorageKind.available)
    func studiesAreCreatedOnce(kind: StorageKind) throws {
        let storage = try kind.make()
        let first = try storage.createStudy(definition, at: now)
        let again = try storage.createStudy(definition, at: now.addingTimeInterval(5))
        #expect(first == again)
        #expect(try storage.study(named: "s") == first)
        #expect(try storage.study(named: "other") == nil)
        _ = try storage.createStudy(StudyDefinition(name: "t", direction: .maximize, seed: .max, space: unitSpace), at: now)
        let all = try storage.studies()
        #expect(all.map(\.name) == ["s", "t"])
        #expect(all[1].definition.seed == .max)
        #expect(all[1].definition.direction == .maximize)
        try storage.setStudyAttribute(study: first.id, key: "file", value: "name: s")
        try storage.setStudyAttribute(study: first.id, key: "file", value: "name: s\n")
        #expect(try storage.studyAttributes(study: first.id) == ["file": "name: s\n"])
        #expect(try storage.studyAttributes(study: all[1].id) == [:])
    }

    @Test(arguments: StorageKind.available)
    func trialsRoundTrip(kind: StorageKind) throws {
        let storage = try kind.make()
        let study = try storage.createStudy(definition, at: now).id
        let trial = try #require(try storage.createTrial(
            study: study, state: .running, params: [:], userAttributes: ["who": "test"], limit: nil, at: now))
        #expect(trial.number == 0)
        try storage.setParams(trial: trial.id, ["x": 0.25, "n": 3, "s": "adam", "b": true])
        try storage.reportIntermediate(trial: trial.id, step: 1, value: 0.5, at: now)
        try storage.reportIntermediate(trial: trial.id, step: 2, value: 0.4, at: now)
        try storage.reportIntermediate(trial: trial.id, step: 2, value: 0.3, at: now)
        try storage.setUserAttribute(trial: trial.id, key: "note", value: "hi")
        try storage.finishTrial(trial: trial.id, state: .complete, value: 0.125, failReason: nil, at: now.addingTimeInterval(3))
        let stored = try #require(try storage.trial(study: study, number: 0))
        #expect(stored.state == .complete)
        #expect(stored.value == 0.125)
        #expect(stored.params == ["x": .double(0.25), "n": .int(3), "s": "adam", "b": true])
        #expect(stored.intermediateValues == [1: 0.5, 2: 0.3])
        #expect(stored.userAttributes == ["who": "test", "note": "hi"])
        #expect(stored.duration == 3)
        #expect(throws: TuningError.invalidTrialState(trial: 0, reason: "is COMPLETE, not RUNNING")) {
            try storage.finishTrial(trial: trial.id, state: .fail, value: nil, failReason: "late", at: now)
        }
        #expect(throws: TuningError.self) { try storage.reportIntermediate(trial: trial.id, step: 3, value: 1, at: now) }
    }

    @Test(arguments: StorageKind.available)
    func completeTrialsNeedFiniteValues(kind: StorageKind) throws {
        let storage = try kind.make()
        let study = try storage.createStudy(definition, at: now).id
        let trial = try #require(try storage.createTrial(study: study, state: .running, params: [:], userAttributes: [:], limit: nil, at: now))
        #expect(throws: TuningError.self) {
            try storage.finishTrial(trial: trial.id, state: .complete, value: .nan, failReason: nil, at: now)
        }
        #expect(throws: TuningError.self) {
            try storage.finishTrial(trial: trial.id, state: .complete, value: nil, failReason: nil, at: now)
        }
        try storage.finishTrial(trial: trial.id, state: .fail, value: nil, failReason: "boom", at: now)
        #expect(try storage.trial(study: study, number: 0)?.failReason == "boom")
    }

    @Test(arguments: StorageKind.available)
    func trialLimitAndWaitingQueue(kind: StorageKind) throws {
        let storage = try kind.make()
        let study = try storage.createStudy(definition, at: now).id
        _ = try storage.createTrial(study: study, state: .waiting, params: ["x": 0.1], userAttributes: [:], limit: nil, at: now)
        _ = try storage.createTrial(study: study, state: .waiting, params: ["x": 0.2], userAttributes: [:], limit: nil, at: now)
        #expect(try storage.createTrial(study: study, state: .running, params: [:], userAttributes: [:], limit: 3, at: now)?.number == 2)
        #expect(try storage.createTrial(study: study, state: .running, params: [:], userAttributes: [:], limit: 3, at: now) == nil)
        let first = try #require(try storage.claimWaitingTrial(study: study, at: now))
        #expect(first.number == 0 && first.state == .running && first.params == ["x": 0.1] && first.startedAt == now)
        #expect(try storage.claimWaitingTrial(study: study, at: now)?.number == 1)
        #expect(try storage.claimWaitingTrial(study: study, at: now) == nil)
    }

    @Test(arguments: StorageKind.available)
    func changesAreReadIncrementally(kind: StorageKind) throws {
        let storage = try kind.make()
        let study = try storage.createStudy(definition, at: now).id
        var ids: [Int64] = []
        for _ in 0..<5 {
            ids.append(try #require(try storage.createTrial(study: study, state: .running, params: [:], userAttributes: [:], limit: nil, at: now)).id)
        }
        let all = try storage.trials(study: study, changedAfter: 0)
        #expect(all.trials.map(\.number) == [0, 1, 2, 3, 4])
        try storage.reportIntermediate(trial: ids[3], step: 1, value: 2, at: now)
        try storage.finishTrial(trial: ids[1], state: .complete, value: 1, failReason: nil, at: now)
        try storage.heartbeat(trial: ids[2], at: now.addingTimeInterval(1))  // not a change samplers see
        let changed = try storage.trials(study: study, changedAfter: all.revision)
        #expect(changed.trials.map(\.number) == [1, 3])
        #expect(changed.trials[1].intermediateValues == [1: 2])
        #expect(try storage.trials(study: study, changedAfter: changed.revision).trials.isEmpty)
    }

    @Test(arguments: StorageKind.available)
    func staleTrialsFailAndRequeue(kind: StorageKind) throws {
        let storage = try kind.make()
        let study = try storage.createStudy(definition, at: now).id
        let dead = try #require(try storage.createTrial(study: study, state: .running, params: [:], userAttributes: [:], limit: nil, at: now))
        try storage.setParams(trial: dead.id, ["x": 0.7])
        let alive = try #require(try storage.createTrial(study: study, state: .running, params: [:], userAttributes: [:], limit: nil, at: now))
        try storage.heartbeat(trial: alive.id, at: now.addingTimeInterval(50))
        let failed = try storage.failStaleTrials(study: study, staleBefore: now.addingTimeInterval(30), requeue: true, at: now.addingTimeInterval(60))
        #expect(failed.map(\.number) == [0])
        #expect(try storage.trial(study: study, number: 0)?.state == .fail)
        #expect(try storage.trial(study: study, number: 0)?.failReason == TrialTransition.staleReason)
        #expect(try storage.trial(study: study, number: 1)?.state == .running)
        let copy = try #require(try storage.trial(study: study, number: 2))
        #expect(copy.state == .waiting && copy.params == ["x": 0.7] && copy.userAttributes[TrialTransition.retryOfKey] == "0")
        #expect(throws: TuningError.self) {
            try storage.finishTrial(trial: dead.id, state: .complete, value: 1, failReason: nil, at: now)
        }
    }

    @Test(arguments: StorageKind.available)
    func countersCountAcrossCalls(kind: StorageKind) throws {
        let storage = try kind.make()
        let study = try storage.createStudy(definition, at: now).id
        #expect(try (0..<4).map { _ in try storage.nextCounterValue(study: study, name: "grid") } == [0, 1, 2, 3])
        #expect(try storage.nextCounterValue(study: study, name: "other") == 0)
    }

    @Test func sqliteReopenedAfterACrashHasEveryFinishedTrial() async throws {
        let path = temporaryDatabasePath("resume")
        do {
            let study = try Study(name: "resume", space: unitSpace, storage: try SQLStorage.sqlite(path: path), heartbeat: .off)
            try await study.optimize(stop: [.trials(30)]) { trial in try trial.double("x") }
            // A trial left running, as by a worker that died.
            _ = try study.ask()
        }
        let reopened = try Study(loading: "resume", storage: try SQLStorage.sqlite(path: path), heartbeat: .off)
        let trials = try reopened.trials()
        #expect(trials.count == 31)
        #expect(trials.filter { $0.state == .complete }.count == 30)
        #expect(trials.allSatisfy { $0.state != .complete || $0.value == $0.params["x"]?.doubleValue })
        try await reopened.optimize(stop: [.trials(40)]) { trial in try trial.double("x") }
        #expect(try reopened.trials().count == 40)
    }
}

import Foundation
import Synchronization
import Testing
@testable import Tuning

/// Population-based training's bookkeeping with an objective that trains nothing: which member's
/// generation runs next, who copies whom, and that every worker decides the same.
@Suite struct PopulationStudyTests {
    static let space = try! SearchSpace([.float("x", 0.1...10, log: true), .categorical("kind", ["a", "b", "c"])])
    static let schedule = PopulationSchedule(population: 4, intervalEpochs: 2, generations: 3, fraction: 0.25)

    /// Each generation's value is the member's parameter x: larger x is better.
    static let objective = FunctionObjective { trial in
        let member = try #require(trial.populationMember)
        try trial.report(try trial.double("x"), step: member.lastEpoch)
        return try trial.double("x")
    }

    func study(_ kind: StorageKind, seed: UInt64 = 3) throws -> Study {
        try Study(
            name: "population", space: Self.space, direction: .maximize, seed: seed, storage: try kind.make(),
            sampler: RandomSampler(), population: Self.schedule)
    }

    /// The decisions of a finished population: per (generation, member), parameters and donor.
    func decisions(_ study: Study) throws -> [String] {
        try study.trials().compactMap { trial in
            guard let member = trial.populationMember, trial.state == .complete else { return nil }
            return "g\(member.generation) m\(member.member) from \(member.copiedFrom.map(String.init) ?? "-") \(ProgressReport.describe(trial.params))"
        }.sorted()
    }

    @Test(arguments: StorageKind.available)
    func everyMemberTrainsEachGenerationAndTheWorstCopiesTheBest(kind: StorageKind) async throws {
        let study = try study(kind)
        let summary = try await study.optimize(Self.objective, stop: [])
        #expect(summary.completed == 12 && summary.stopReason == .populationFinished)
        let plan = try #require(study.populationPlan)
        let slots = plan.slots(try study.trials())
        for generation in 0..<3 {
            for member in 0..<4 {
                let trial = try #require(slots[generation][member])
                #expect(trial.state == .complete)
                #expect(trial.intermediateValues.keys.sorted() == [2 * generation + 2])
            }
        }
        for generation in 1..<3 {
            let previous = slots[generation - 1].map { $0!.value! }
            let worst = previous.indices.min { previous[$0] < previous[$1] }!
            let best = previous.indices.max { previous[$0] < previous[$1] }!
            for member in 0..<4 {
                let record = try #require(slots[generation][member]?.populationMember)
                if member == worst {
                    #expect(record.copiedFrom == best)
                    #expect(record.parentTrial == slots[generation - 1][best]?.number)
                    let donorX = try #require(slots[generation - 1][best]?.params["x"]?.doubleValue)
                    let x = try #require(slots[generation][member]?.params["x"]?.doubleValue)
                    // Perturbed by 0.8 or 1.2 (clipped), or resampled from the space.
                    #expect(x != donorX || donorX == 10)
                } else {
                    #expect(record.copiedFrom == nil)
                    #expect(record.parentTrial == slots[generation - 1][member]?.number)
                    #expect(slots[generation][member]?.params == slots[generation - 1][member]?.params)
                }
            }
        }
    }

    @Test(arguments: StorageKind.available)
    func concurrentWorkersDecideAsOneWorkerDoes(kind: StorageKind) async throws {
        let serial = try study(.memory)
        try await serial.optimize(Self.objective, stop: [])
        let parallel = try study(kind)
        try await parallel.optimize(Self.objective, stop: [], concurrency: 3)
        #expect(try decisions(parallel) == decisions(serial))
        #expect(try decisions(serial).count == 12)
        let other = try study(.memory, seed: 4)
        try await other.optimize(Self.objective, stop: [])
        #expect(try decisions(other) != decisions(serial))
    }

    @Test(arguments: StorageKind.available)
    func anInterruptedMemberIsQueuedAgainAsTheSameMemberAndGeneration(kind: StorageKind) throws {
        let study = try study(kind)
        let first = try #require(try study.ask())
        let member = try #require(first.populationMember)
        try study.tell(first, .interrupted)
        let retry = try #require(try study.ask())
        #expect(retry.number != first.number)
        #expect(retry.populationMember == member)
        #expect(retry.params == first.params)
    }

    @Test func aStudyResumedAfterACrashContinuesThePopulation() async throws {
        let serial = try study(.memory)
        try await serial.optimize(Self.objective, stop: [])
        let path = temporaryDatabasePath("population-resume")
        let crashed = try Study(
            name: "population", space: Self.space, direction: .maximize, seed: 3, storage: try SQLStorage.sqlite(path: path),
            sampler: RandomSampler(), population: Self.schedule)
        try await crashed.optimize(Self.objective, stop: [.trials(6)])
        // The process dies while it trains a seventh trial.
        let orphan = try #require(try crashed.ask())
        let resumed = try Study(
            name: "population", space: Self.space, direction: .maximize, seed: 3, storage: try SQLStorage.sqlite(path: path),
            sampler: RandomSampler(), population: Self.schedule)
        // Its heartbeat has stopped for longer than the grace period (as the next ask would find).
        let stale = try resumed.storage.failStaleTrials(
            study: resumed.record.id, staleBefore: Date().addingTimeInterval(1), requeue: resumed.requeuesInterruptedTrials, at: Date())
        #expect(stale.map(\.number) == [orphan.number])
        try await resumed.optimize(Self.objective, stop: [])
        #expect(try decisions(resumed) == decisions(serial))
    }

    @Test func theFirstGenerationDrawsWhatRandomSearchDraws() throws {
        let plan = try #require(try study(.memory).populationPlan)
        for member in 0..<4 {
            guard case let .trial(params, record) = plan.initial(member: member) else { Issue.record("no trial"); continue }
            #expect(record.member == member && record.generation == 0 && record.parentTrial == nil)
            let request = SamplingRequest(
                space: Self.space, direction: .maximize, seed: 3, trialNumber: member, history: [], fixed: [:], reservation: .nothing)
            #expect(params == (try RandomSampler().sample(request)))
        }
    }

    @Test func theLaterOfTwoTrialsForTheSameMemberGivesItselfUp() throws {
        let storage = RacingStorage()
        let study = try Study(name: "population", space: Self.space, direction: .maximize, storage: storage, population: Self.schedule)
        storage.raceNextCreation.withLock { $0 = true }
        let trial = try #require(try study.ask())
        let trials = try study.trials()
        #expect(trials.count == 3)
        // Trial 0 is the other worker's; this worker's trial 1 lost and member 1 is next.
        #expect(trials[1].state == .fail)
        #expect(trials[1].userAttributes[PopulationMember.duplicateKey] == "0")
        #expect(trial.number == 2)
        #expect(trial.populationMember?.member == 1)
        #expect(try #require(study.populationPlan).slots(trials)[0][0]?.number == 0)
    }

    @Test func waitsWhileTheGenerationStillTrainsAndEndsAfterTheLast() throws {
        let schedule = PopulationSchedule(population: 2, intervalEpochs: 1, generations: 2, fraction: 0.5)
        let study = try Study(name: "population", space: Self.space, direction: .maximize, population: schedule)
        let a = try #require(try study.ask())
        let b = try #require(try study.ask())
        guard case .wait = try study.askOrWait(limit: nil) else { Issue.record("expected to wait"); return }
        try study.tell(a, .complete(1))
        guard case .wait = try study.askOrWait(limit: nil) else { Issue.record("expected to wait"); return }
        try study.tell(b, .failed("diverged"))
        // The failed member copies the other one.
        let c = try #require(try study.ask())
        let d = try #require(try study.ask())
        let copier = [c, d].first { $0.populationMember?.member == b.populationMember?.member }
        #expect(copier?.populationMember?.copiedFrom == a.populationMember?.member)
        try study.tell(c, .complete(2))
        try study.tell(d, .complete(3))
        guard case .nothingLeft = try study.askOrWait(limit: nil) else { Issue.record("expected the end"); return }
    }

    @Test func lineageTextShowsEachMembersSourceAndSchedule() async throws {
        let study = try study(.memory)
        try await study.optimize(Self.objective, stop: [])
        let lineage = try #require(PopulationLineage(trials: try study.trials(), space: Self.space))
        #expect(lineage.members.count == 4)
        #expect(lineage.members.allSatisfy { $0.map(\.generation) == [0, 1, 2] })
        let text = lineage.text()
        #expect(text.hasPrefix("population: 4 members, 3 generations"))
        #expect(text.contains("weights from"))
        #expect(text.contains("member 0 (last value"))
        #expect(text.contains(" start "))
        let copies = lineage.members.flatMap { $0.compactMap(\.copiedFrom) }
        #expect(copies.count == 2)
        for source in copies { #expect(text.contains("member \(source) ")) }
        let html = HTMLReport(name: "p", direction: .maximize, space: Self.space, trials: try study.trials()).html()
        #expect(html.contains("Population (lineage and hyperparameter schedule)"))
    }

    @Test func badScheduleSettingsNameTheirKey() {
        let base = """
            name: s
            direction: maximize
            space: {x: {type: float, low: 0.1, high: 1}}
            objective: {train: a.yaml, metric: val_accuracy}
            """
        expectStudyFileError(base + "\nscheduler: {type: pbt, population: 1, interval_epochs: 2, generations: 3}", key: "scheduler.population", line: 5)
        expectStudyFileError(base + "\nscheduler: {type: pbt, population: 4, interval_epochs: 2, generations: 3, fraction: 0.7}", key: "scheduler.fraction", line: 5)
        expectStudyFileError(base + "\nscheduler: {type: pbt, population: 4, interval_epochs: 2, generations: 3, fixed: [units]}", key: "scheduler.fixed", line: 5)
        expectStudyFileError(base + "\nscheduler: {type: pbt, population: 4, interval_epochs: 2, generations: 3, perturb: [0.8, -1]}", key: "scheduler.perturb[1]", line: 5)
        expectStudyFileError(base + "\nscheduler: {type: pbt, population: 4, interval_epochs: 2}", key: "scheduler", line: 5)
        expectStudyFileError(base + "\nscheduler: {type: pbt, population: 4, interval_epochs: 2, generations: 3}\npruner: {type: median}", key: "pruner", line: 6)
        expectStudyFileError(base + "\nscheduler: {type: asha}", key: "scheduler.type", line: 5)
        let pbt = "\nscheduler: {type: pbt, population: 4, interval_epochs: 2, generations: 3}"
        expectStudyFileError(base + pbt + "\nheartbeat: {interval_seconds: 0}", key: "heartbeat", line: 6)
        expectStudyFileError(base + pbt + "\nenqueue: [{x: 0.5}]", key: "enqueue", line: 6)
        let multi = "name: s\ndirections: [maximize, minimize]\nspace: {x: {type: float, low: 0.1, high: 1}}\n"
            + "objective: {train: a.yaml, metric: [val_accuracy, parameters]}"
        expectStudyFileError(multi + pbt, key: "scheduler", line: 5)
    }
}

/// An in-memory storage that, when asked to, lets "another worker" create the same trial just
/// before the next `createTrial`: the race between two workers that both saw a member missing.
final class RacingStorage: Storage {
    let inner = InMemoryStorage()
    let raceNextCreation = Mutex(false)

    func createTrial(
        study: Int64, state: TrialState, params: [String: ParameterValue], userAttributes: [String: String], limit: Int?, at now: Date
    ) throws -> TrialRecord? {
        if raceNextCreation.withLock({ race in defer { race = false }; return race }) {
            _ = try inner.createTrial(study: study, state: state, params: params, userAttributes: userAttributes, limit: limit, at: now)
        }
        return try inner.createTrial(study: study, state: state, params: params, userAttributes: userAttributes, limit: limit, at: now)
    }

    func createStudy(_ definition: StudyDefinition, at now: Date) throws -> StudyRecord { try inner.createStudy(definition, at: now) }
    func study(named name: String) throws -> StudyRecord? { try inner.study(named: name) }
    func studies() throws -> [StudyRecord] { try inner.studies() }
    func setStudyAttribute(study: Int64, key: String, value: String) throws { try inner.setStudyAttribute(study: study, key: key, value: value) }
    func studyAttributes(study: Int64) throws -> [String: String] { try inner.studyAttributes(study: study) }
    func claimWaitingTrial(study: Int64, at now: Date) throws -> TrialRecord? { try inner.claimWaitingTrial(study: study, at: now) }
    func setParams(trial: Int64, _ params: [String: ParameterValue]) throws { try inner.setParams(trial: trial, params) }
    func reportIntermediate(trial: Int64, step: Int, value: Double, at now: Date) throws {
        try inner.reportIntermediate(trial: trial, step: step, value: value, at: now)
    }
    func setUserAttribute(trial: Int64, key: String, value: String) throws { try inner.setUserAttribute(trial: trial, key: key, value: value) }
    func finishTrial(trial: Int64, state: TrialState, value: Double?, failReason: String?, at now: Date) throws -> TrialRecord {
        try inner.finishTrial(trial: trial, state: state, value: value, failReason: failReason, at: now)
    }
    func heartbeat(trial: Int64, at now: Date) throws { try inner.heartbeat(trial: trial, at: now) }
    func failStaleTrials(study: Int64, staleBefore: Date, requeue: Bool, at now: Date) throws -> [TrialRecord] {
        try inner.failStaleTrials(study: study, staleBefore: staleBefore, requeue: requeue, at: now)
    }
    func trials(study: Int64, changedAfter revision: Int64) throws -> TrialChanges { try inner.trials(study: study, changedAfter: revision) }
    func trial(study: Int64, number: Int) throws -> TrialRecord? { try inner.trial(study: study, number: number) }
    func nextCounterValue(study: Int64, name: String) throws -> Int { try inner.nextCounterValue(study: study, name: name) }
}

import Foundation
import Synchronization

/// Keeps studies in this process's memory: fast, shared by the workers of one process, gone when
/// it exits. The storage for tests and throwaway studies.
public final class InMemoryStorage: Storage {
    private struct StudyTrials {
        var study: StudyRecord
        var trials: [TrialRecord] = []
        var revision: Int64 = 0
        /// (revision, trial number) of every change, in revision order.
        var changes: [(revision: Int64, number: Int)] = []
        var counters: [String: Int] = [:]
        var attributes: [String: String] = [:]
        /// Numbers of the waiting and running trials, so claims and stale checks skip the rest.
        var waiting: Set<Int> = []
        var running: Set<Int> = []

        /// Records a change of trial `number`: a new revision, and its state in the indexes.
        mutating func touch(_ number: Int) {
            revision += 1
            trials[number].revision = revision
            changes.append((revision, number))
            let state = trials[number].state
            if state == .waiting { waiting.insert(number) } else { waiting.remove(number) }
            if state == .running { running.insert(number) } else { running.remove(number) }
        }
    }

    private struct State {
        var studies: [StudyTrials] = []
        /// Trial identifier → (study index, trial number).
        var trialLocations: [Int64: (study: Int, number: Int)] = [:]
        var nextTrialID: Int64 = 1
    }

    private let state = Mutex(State())

    public init() {}

    public func createStudy(_ definition: StudyDefinition, at now: Date) throws -> StudyRecord {
        state.withLock { state in
            if let existing = state.studies.first(where: { $0.study.name == definition.name }) {
                return existing.study
            }
            let study = StudyRecord(id: Int64(state.studies.count + 1), definition: definition, createdAt: now)
            state.studies.append(StudyTrials(study: study))
            return study
        }
    }

    public func study(named name: String) throws -> StudyRecord? {
        state.withLock { state in state.studies.first { $0.study.name == name }?.study }
    }

    public func studies() throws -> [StudyRecord] {
        state.withLock { state in state.studies.map(\.study) }
    }

    public func setStudyAttribute(study: Int64, key: String, value: String) throws {
        try state.withLock { state in
            state.studies[try Self.studyIndex(study, in: state)].attributes[key] = value
        }
    }

    public func studyAttributes(study: Int64) throws -> [String: String] {
        try state.withLock { state in state.studies[try Self.studyIndex(study, in: state)].attributes }
    }

    public func createTrial(
        study: Int64, state trialState: TrialState, params: [String: ParameterValue],
        userAttributes: [String: String], limit: Int?, at now: Date
    ) throws -> TrialRecord? {
        try state.withLock { state in
            let index = try Self.studyIndex(study, in: state)
            let number = state.studies[index].trials.count
            if let limit, number >= limit { return nil }
            let running = trialState == .running
            let trial = TrialRecord(
                id: state.nextTrialID, number: number, state: trialState, params: params,
                userAttributes: userAttributes, startedAt: running ? now : nil, heartbeatAt: running ? now : nil)
            state.nextTrialID += 1
            state.trialLocations[trial.id] = (index, number)
            state.studies[index].trials.append(trial)
            state.studies[index].touch(number)
            return state.studies[index].trials[number]
        }
    }

    public func claimWaitingTrial(study: Int64, at now: Date) throws -> TrialRecord? {
        try state.withLock { state in
            let index = try Self.studyIndex(study, in: state)
            guard let number = state.studies[index].waiting.min() else { return nil }
            state.studies[index].trials[number].state = .running
            state.studies[index].trials[number].startedAt = now
            state.studies[index].trials[number].heartbeatAt = now
            state.studies[index].touch(number)
            return state.studies[index].trials[number]
        }
    }

    public func setParams(trial: Int64, _ params: [String: ParameterValue]) throws {
        try update(trial, requireRunning: true) { $0.params = params }
    }

    public func reportIntermediate(trial: Int64, step: Int, value: Double, at now: Date) throws {
        try update(trial, requireRunning: true) {
            $0.intermediateValues[step] = value
            $0.heartbeatAt = now
        }
    }

    public func setUserAttribute(trial: Int64, key: String, value: String) throws {
        try update(trial, requireRunning: false) { $0.userAttributes[key] = value }
    }

    @discardableResult
    public func finishTrial(trial: Int64, state finalState: TrialState, value: Double?, failReason: String?, at now: Date) throws -> TrialRecord {
        try TrialTransition.checkFinal(finalState, value: value)
        return try update(trial, requireRunning: true) {
            $0.state = finalState
            $0.value = value ?? (finalState == .pruned ? $0.lastStep.flatMap { [values = $0.intermediateValues] in values[$0] } : nil)
            $0.finishedAt = now
            if let failReason { $0.userAttributes[TrialRecord.failReasonKey] = failReason }
        }
    }

    public func heartbeat(trial: Int64, at now: Date) throws {
        try state.withLock { state in
            let (index, number) = try Self.location(of: trial, in: state)
            if state.studies[index].trials[number].state == .running {
                state.studies[index].trials[number].heartbeatAt = now
            }
        }
    }

    public func failStaleTrials(study: Int64, staleBefore: Date, requeue: Bool, at now: Date) throws -> [TrialRecord] {
        try state.withLock { state in
            let index = try Self.studyIndex(study, in: state)
            var failed: [TrialRecord] = []
            for number in state.studies[index].running.sorted() {
                let trial = state.studies[index].trials[number]
                guard trial.state == .running, (trial.heartbeatAt ?? .distantPast) < staleBefore else { continue }
                state.studies[index].trials[number].state = .fail
                state.studies[index].trials[number].finishedAt = now
                state.studies[index].trials[number].userAttributes[TrialRecord.failReasonKey] = TrialTransition.staleReason
                state.studies[index].touch(number)
                failed.append(state.studies[index].trials[number])
                if requeue {
                    let copy = TrialRecord(
                        id: state.nextTrialID, number: state.studies[index].trials.count, state: .waiting,
                        params: trial.params, userAttributes: TrialTransition.retryAttributes(of: trial))
                    state.nextTrialID += 1
                    state.trialLocations[copy.id] = (index, copy.number)
                    state.studies[index].trials.append(copy)
                    state.studies[index].touch(copy.number)
                }
            }
            return failed
        }
    }

    public func trials(study: Int64, changedAfter revision: Int64) throws -> TrialChanges {
        try state.withLock { state in
            let index = try Self.studyIndex(study, in: state)
            let entry = state.studies[index]
            var low = 0, high = entry.changes.count
            while low < high {
                let middle = (low + high) / 2
                if entry.changes[middle].revision <= revision { low = middle + 1 } else { high = middle }
            }
            let numbers = Set(entry.changes[low...].map(\.number)).sorted()
            return TrialChanges(trials: numbers.map { entry.trials[$0] }, revision: entry.revision)
        }
    }

    public func trial(study: Int64, number: Int) throws -> TrialRecord? {
        try state.withLock { state in
            let trials = state.studies[try Self.studyIndex(study, in: state)].trials
            return trials.indices.contains(number) ? trials[number] : nil
        }
    }

    public func nextCounterValue(study: Int64, name: String) throws -> Int {
        try state.withLock { state in
            let index = try Self.studyIndex(study, in: state)
            let value = state.studies[index].counters[name, default: 0]
            state.studies[index].counters[name] = value + 1
            return value
        }
    }

    @discardableResult
    private func update(_ trial: Int64, requireRunning: Bool, _ change: (inout TrialRecord) -> Void) throws -> TrialRecord {
        try state.withLock { state in
            let (index, number) = try Self.location(of: trial, in: state)
            if requireRunning {
                try TrialTransition.checkRunning(state.studies[index].trials[number])
            }
            change(&state.studies[index].trials[number])
            state.studies[index].touch(number)
            return state.studies[index].trials[number]
        }
    }

    private static func studyIndex(_ study: Int64, in state: State) throws -> Int {
        let index = Int(study) - 1
        guard state.studies.indices.contains(index) else { throw TuningError.storage("no study with id \(study)") }
        return index
    }

    private static func location(of trial: Int64, in state: State) throws -> (Int, Int) {
        guard let location = state.trialLocations[trial] else { throw TuningError.storage("no trial with id \(trial)") }
        return (location.study, location.number)
    }
}

import Foundation
import Synchronization

/// A hyperparameter search: a search space, a direction, and the trials evaluated so far, kept in
/// a storage that concurrent tasks, worker processes and other machines may share.
///
/// ```swift
/// let study = try Study(name: "branin", space: space, storage: try SQLStorage.sqlite(path: "branin.db"),
///                       sampler: TPESampler())
/// try study.enqueue(["x": 3.0, "y": 2.0])
/// let summary = try await study.optimize(stop: [.trials(50)]) { trial in
///     branin(try trial.double("x"), try trial.double("y"))
/// }
/// ```
///
/// `ask` and `tell` drive the same loop by hand for objectives that run elsewhere.
public final class Study: Sendable {
    /// The stored study: name, direction, seed, space.
    public let record: StudyRecord
    public let storage: any Storage
    public let sampler: any Sampler
    public let pruner: any Pruner
    public let heartbeat: HeartbeatSettings
    /// Population-based training's schedule, when the study trains a population
    /// (`Study+Population.swift`): trials are then the members' generations.
    public let population: PopulationSchedule?
    private let history: Mutex<TrialHistory>
    /// Serialises `ask` within this process, so its concurrent tasks see each other's new
    /// points; holds when this process last looked for trials of dead workers.
    private let asking = Mutex(Date.distantPast)

    public var name: String { record.name }
    public var direction: StudyDirection { record.definition.direction }
    public var seed: UInt64 { record.definition.seed }
    public var space: SearchSpace { record.definition.space }

    /// Creates the study, or joins it if the storage already has one of that name with the same
    /// direction, seed and space (throws `TuningError.studyMismatch` otherwise).
    public convenience init(
        name: String, space: SearchSpace, direction: StudyDirection = .minimize, seed: UInt64 = 0,
        storage: any Storage = InMemoryStorage(), sampler: any Sampler = TPESampler(),
        pruner: any Pruner = NoPruner(), heartbeat: HeartbeatSettings = HeartbeatSettings(),
        population: PopulationSchedule? = nil
    ) throws {
        let definition = StudyDefinition(name: name, direction: direction, seed: seed, space: space)
        let record = try storage.createStudy(definition, at: Date())
        if record.definition != definition {
            throw TuningError.studyMismatch(name: name, reason: Self.differences(record.definition, definition))
        }
        try self.init(
            record: record, storage: storage, sampler: sampler, pruner: pruner, heartbeat: heartbeat, population: population)
    }

    /// Opens an existing study, taking its direction, seed and space from the storage.
    public convenience init(
        loading name: String, storage: any Storage, sampler: any Sampler = TPESampler(),
        pruner: any Pruner = NoPruner(), heartbeat: HeartbeatSettings = HeartbeatSettings(),
        population: PopulationSchedule? = nil
    ) throws {
        guard let record = try storage.study(named: name) else { throw TuningError.studyNotFound(name) }
        try self.init(
            record: record, storage: storage, sampler: sampler, pruner: pruner, heartbeat: heartbeat, population: population)
    }

    private init(
        record: StudyRecord, storage: any Storage, sampler: any Sampler, pruner: any Pruner, heartbeat: HeartbeatSettings,
        population: PopulationSchedule?
    ) throws {
        try sampler.validate(for: record.definition.space)
        try population?.validate(for: record.definition.space)
        self.population = population
        self.record = record
        self.storage = storage
        self.sampler = sampler
        self.pruner = pruner
        self.heartbeat = heartbeat
        history = Mutex(TrialHistory(direction: record.definition.direction))
    }

    // MARK: Reading

    /// Brings this worker's copy of the trials up to date (reading only what changed) and returns it.
    @discardableResult
    public func refresh() throws -> TrialHistory {
        try history.withLock { history in
            history.apply(try storage.trials(study: record.id, changedAfter: history.revision))
            return history
        }
    }

    /// Every trial, by number.
    public func trials() throws -> [TrialRecord] { try refresh().trials }

    /// The best complete trial so far.
    public func bestTrial() throws -> TrialRecord? { try refresh().best }

    // MARK: Ask and tell

    /// Queues a configuration to be evaluated before the sampler's proposals. It may leave out
    /// parameters; the sampler fills them in. Returns the new trial's number.
    @discardableResult
    public func enqueue(_ params: [String: ParameterValue], userAttributes: [String: String] = [:]) throws -> Int {
        let canonical = try space.validated(params, partial: true)
        guard let trial = try storage.createTrial(
            study: record.id, state: .waiting, params: canonical, userAttributes: userAttributes, limit: nil, at: Date())
        else { throw TuningError.storage("could not enqueue a trial in study '\(name)'") }
        return trial.number
    }

    /// Starts the next trial: a waiting (enqueued or re-queued) one if there is one, else a new
    /// one with the sampler's configuration (in a population, the next member's generation).
    /// Returns `nil` when the study holds `limit` trials or the sampler has nothing left (or no
    /// member can start before others finish their generation). Also fails trials whose workers
    /// stopped sending heartbeats (looking at most four times per grace period).
    public func ask(limit: Int? = nil) throws -> Trial? {
        if case let .trial(trial) = try askOrWait(limit: limit) { return trial }
        return nil
    }

    /// `ask`, telling apart "nothing left" from "nothing yet": a population's members wait while
    /// the last members of their generation still train.
    func askOrWait(limit: Int?) throws -> AskResult {
        try asking.withLock { lastStaleCheck in
            let now = Date()
            // Looking for dead workers' trials a few times per grace period is enough.
            if heartbeat.isEnabled, now.timeIntervalSince(lastStaleCheck) >= heartbeat.gracePeriod / 4 {
                _ = try storage.failStaleTrials(
                    study: record.id, staleBefore: now.addingTimeInterval(-heartbeat.gracePeriod),
                    requeue: requeuesInterruptedTrials, at: now)
                lastStaleCheck = now
            }
            if let population { return try askMember(population, limit: limit, at: now) }
            var reservation = SamplerReservation.nothing
            var trial: TrialRecord
            if let waiting = try storage.claimWaitingTrial(study: record.id, at: now) {
                trial = waiting
                if (try? space.validated(trial.params)) == nil {
                    reservation = try sampler.reserve(reservationRequest)
                }
            } else {
                reservation = try sampler.reserve(reservationRequest)
                if reservation == .exhausted { return .nothingLeft }
                guard let created = try storage.createTrial(
                    study: record.id, state: .running, params: [:], userAttributes: [:], limit: limit, at: now)
                else { return .nothingLeft }
                trial = created
            }
            if (try? space.validated(trial.params)) == nil {
                trial.params = try sampleParams(for: trial, reservation: reservation)
            }
            return .trial(Trial(record: trial, study: self))
        }
    }

    /// Records how a trial ended and returns the stored trial. A complete value that is NaN or
    /// infinite fails the trial instead; a pruned trial keeps its last intermediate value. An
    /// interrupted trial fails with the reason `interrupted` and is queued again (a waiting copy,
    /// user attribute `retry_of`) when the heartbeat settings re-queue, or when the sampler
    /// proposes each point once (the grid), whose point would otherwise never be evaluated.
    @discardableResult
    public func tell(_ trial: Trial, _ outcome: TrialOutcome) throws -> TrialRecord {
        let now = Date()
        switch outcome {
        case let .complete(value) where value.isFinite:
            return try storage.finishTrial(trial: trial.id, state: .complete, value: value, failReason: nil, at: now)
        case let .complete(value):
            return try storage.finishTrial(
                trial: trial.id, state: .fail, value: nil, failReason: "the objective returned \(value)", at: now)
        case .pruned:
            return try storage.finishTrial(trial: trial.id, state: .pruned, value: nil, failReason: nil, at: now)
        case let .failed(reason):
            return try storage.finishTrial(trial: trial.id, state: .fail, value: nil, failReason: reason, at: now)
        case .interrupted:
            let failed = try storage.finishTrial(
                trial: trial.id, state: .fail, value: nil, failReason: TrialOutcome.interruptedReason, at: now)
            if requeuesInterruptedTrials {
                _ = try storage.createTrial(
                    study: record.id, state: .waiting, params: failed.params,
                    userAttributes: TrialTransition.retryAttributes(of: failed), limit: nil, at: now)
            }
            return failed
        }
    }

    // MARK: Internals

    /// Whether an interrupted trial (or one of a dead worker) is queued again: with
    /// `heartbeat.requeue`, for a sampler that hands out each point once, and in a population
    /// (whose member would otherwise stop).
    var requeuesInterruptedTrials: Bool { heartbeat.requeue || sampler.proposesEachPointOnce || population != nil }

    func shouldPrune(trialNumber: Int) throws -> Bool {
        let history = try refresh()
        guard history.trials.indices.contains(trialNumber) else {
            throw TuningError.trialNotFound(study: name, trial: trialNumber)
        }
        return pruner.shouldPrune(PruningRequest(
            direction: direction, seed: seed, trial: history.trials[trialNumber], history: history.trials))
    }

    private var reservationRequest: ReservationRequest {
        let storage = storage, study = record.id
        return ReservationRequest(space: space, seed: seed) { name in try storage.nextCounterValue(study: study, name: name) }
    }

    /// Asks the sampler for the trial's missing parameters and stores them. A sampler error fails
    /// the trial (with the reason) before it is rethrown.
    private func sampleParams(for trial: TrialRecord, reservation: SamplerReservation) throws -> [String: ParameterValue] {
        do {
            let request = SamplingRequest(
                space: space, direction: direction, seed: seed, trialNumber: trial.number,
                history: try refresh().trials, fixed: trial.params, reservation: reservation)
            let params = try space.validated(try sampler.sample(request))
            try storage.setParams(trial: trial.id, params)
            return params
        } catch {
            _ = try? storage.finishTrial(
                trial: trial.id, state: .fail, value: nil, failReason: "sampler: \(error)", at: Date())
            throw error
        }
    }

    private static func differences(_ stored: StudyDefinition, _ given: StudyDefinition) -> String {
        var reasons: [String] = []
        if stored.direction != given.direction {
            reasons.append("direction \(stored.direction.rawValue), not \(given.direction.rawValue)")
        }
        if stored.seed != given.seed { reasons.append("seed \(stored.seed), not \(given.seed)") }
        if stored.space != given.space { reasons.append("a different search space") }
        return reasons.joined(separator: "; ")
    }
}

/// How a trial ended, as told to `Study.tell`.
public enum TrialOutcome: Sendable, Hashable {
    case complete(Double)
    case pruned
    case failed(String)
    /// The run was stopped (Ctrl-C) while the trial ran.
    case interrupted

    /// The failure reason of an interrupted trial.
    public static let interruptedReason = "interrupted"
}

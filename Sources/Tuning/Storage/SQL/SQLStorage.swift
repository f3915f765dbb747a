import Foundation

/// Keeps studies in an SQL database: SQLite (`SQLStorage.sqlite(path:)`, one file, the default)
/// or PostgreSQL (`SQLStorage.postgres(url:)`, for workers on many machines). Every write is
/// committed before the call returns, so a crash loses nothing that was reported.
///
/// Every write to a study's trials first advances the study's revision, which locks the study's
/// row until the transaction ends: revisions are handed out in commit order and trial numbers
/// are unique, however many processes write. Reads see one snapshot. Every query is by primary
/// key or through an index, and appending a trial touches only that trial's rows, so the cost per
/// trial stays flat as a study grows.
public final class SQLStorage: Storage {
    private let database: any SQLDatabase
    private let readOnly: Bool

    /// Where the studies are: the database file, or the server and database (never the password).
    public var location: String { database.location }

    /// Wraps an opened database: checks that its tables exist when `readOnly`, creates them otherwise.
    init(database: any SQLDatabase, readOnly: Bool) throws {
        if readOnly {
            guard try database.hasTables() else {
                throw TuningError.storage("\(database.location) holds no studies (it has no SwiftTune tables)")
            }
        } else {
            try database.createTables()
        }
        self.database = database
        self.readOnly = readOnly
    }

    // MARK: Studies

    public func createStudy(_ definition: StudyDefinition, at now: Date) throws -> StudyRecord {
        let space = try StorageCoding.encode(definition.space)
        return try write { tx in
            try tx.rows(
                "INSERT INTO studies (name, direction, seed, space, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
                [definition.name, definition.direction.rawValue, Int64(bitPattern: definition.seed), space, now.timeIntervalSince1970])
            guard let study = try Self.fetchStudy(tx, name: definition.name) else {
                throw TuningError.storage("\(location): study '\(definition.name)' was not created")
            }
            return study
        }
    }

    public func study(named name: String) throws -> StudyRecord? {
        try database.read { tx in try Self.fetchStudy(tx, name: name) }
    }

    public func studies() throws -> [StudyRecord] {
        try database.read { tx in
            try tx.rows("SELECT \(Self.studyColumns) FROM studies ORDER BY id", []).map(Self.studyRecord)
        }
    }

    public func setStudyAttribute(study: Int64, key: String, value: String) throws {
        try write { tx in
            try tx.rows(
                "INSERT INTO study_attributes (study_id, key, value) VALUES (?, ?, ?) ON CONFLICT (study_id, key) DO UPDATE SET value = excluded.value",
                [study, key, value])
        }
    }

    public func studyAttributes(study: Int64) throws -> [String: String] {
        try database.read { tx in
            var attributes: [String: String] = [:]
            for row in try tx.rows("SELECT key, value FROM study_attributes WHERE study_id = ?", [study]) {
                attributes[try row.string(0)] = try row.string(1)
            }
            return attributes
        }
    }

    // MARK: Trial writes

    public func createTrial(
        study: Int64, state: TrialState, params: [String: ParameterValue],
        userAttributes: [String: String], limit: Int?, at now: Date
    ) throws -> TrialRecord? {
        let encodedParams = try StorageCoding.encode(params), encodedAttributes = try StorageCoding.encode(userAttributes)
        return try write { tx in
            let revision = try Self.advanceRevision(tx, study: study)
            let number = try Self.nextTrialNumber(tx, study: study)
            if let limit, number >= limit {
                tx.rollBackOnReturn()
                return nil
            }
            let started: Double? = state == .running ? now.timeIntervalSince1970 : nil
            guard let id = try tx.row(
                """
                INSERT INTO trials (study_id, number, state, params, user_attributes, started_at, heartbeat_at, revision)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """,
                [study, number, state.rawValue, encodedParams, encodedAttributes, started, started, revision]
            )?.int64(0) else { throw TuningError.storage("\(location): inserting a trial returned no id") }
            return TrialRecord(
                id: id, number: number, state: state, params: params, userAttributes: userAttributes,
                startedAt: started.map(Date.init(timeIntervalSince1970:)), heartbeatAt: started.map(Date.init(timeIntervalSince1970:)),
                revision: revision)
        }
    }

    public func claimWaitingTrial(study: Int64, at now: Date) throws -> TrialRecord? {
        try write { tx in
            let revision = try Self.advanceRevision(tx, study: study)
            guard let id = try tx.row(
                "SELECT id FROM trials WHERE study_id = ? AND state = 'WAITING' ORDER BY number LIMIT 1", [study]
            )?.int64(0) else {
                tx.rollBackOnReturn()
                return nil
            }
            let time = now.timeIntervalSince1970
            try tx.rows(
                "UPDATE trials SET state = 'RUNNING', started_at = ?, heartbeat_at = ?, revision = ? WHERE id = ?",
                [time, time, revision, id])
            return try Self.fetchTrial(tx, id: id)
        }
    }

    public func setParams(trial: Int64, _ params: [String: ParameterValue]) throws {
        let encoded = try StorageCoding.encode(params)
        try updateRunning(trial) { tx, revision in
            try tx.rows("UPDATE trials SET params = ?, revision = ? WHERE id = ?", [encoded, revision, trial])
        }
    }

    public func reportIntermediate(trial: Int64, step: Int, value: Double, at now: Date) throws {
        guard value.isFinite else { throw TuningError.storage("intermediate values must be finite") }
        try updateRunning(trial) { tx, revision in
            try tx.rows(
                "INSERT INTO intermediate_values (trial_id, step, value) VALUES (?, ?, ?) ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value",
                [trial, step, value])
            try tx.rows("UPDATE trials SET heartbeat_at = ?, revision = ? WHERE id = ?", [now.timeIntervalSince1970, revision, trial])
        }
    }

    public func setUserAttribute(trial: Int64, key: String, value: String) throws {
        try write { tx in
            let revision = try Self.advanceRevision(tx, study: try Self.studyOf(tx, trial: trial, requireRunning: false))
            try Self.mergeAttributes(tx, trial: trial, [key: value])
            try tx.rows("UPDATE trials SET revision = ? WHERE id = ?", [revision, trial])
        }
    }

    @discardableResult
    public func finishTrial(trial: Int64, state: TrialState, value: Double?, failReason: String?, at now: Date) throws -> TrialRecord {
        try TrialTransition.checkFinal(state, value: value)
        return try updateRunning(trial) { tx, revision in
            if let failReason { try Self.mergeAttributes(tx, trial: trial, [TrialRecord.failReasonKey: failReason]) }
            var value = value
            if value == nil, state == .pruned {
                value = try tx.row(
                    "SELECT value FROM intermediate_values WHERE trial_id = ? ORDER BY step DESC LIMIT 1", [trial]
                )?.double(0)
            }
            try tx.rows(
                "UPDATE trials SET state = ?, value = ?, finished_at = ?, revision = ? WHERE id = ?",
                [state.rawValue, value, now.timeIntervalSince1970, revision, trial])
            guard let stored = try Self.fetchTrial(tx, id: trial) else {
                throw TuningError.storage("\(location): trial \(trial) vanished")
            }
            return stored
        }
    }

    public func heartbeat(trial: Int64, at now: Date) throws {
        try write { tx in
            try tx.rows("UPDATE trials SET heartbeat_at = ? WHERE id = ? AND state = 'RUNNING'", [now.timeIntervalSince1970, trial])
        }
    }

    public func failStaleTrials(study: Int64, staleBefore: Date, requeue: Bool, at now: Date) throws -> [TrialRecord] {
        try write { tx in
            let stale = try tx.rows(
                "SELECT id FROM trials WHERE study_id = ? AND state = 'RUNNING' AND heartbeat_at < ?",
                [study, staleBefore.timeIntervalSince1970]
            ).map { try $0.int64(0) }
            var failed: [TrialRecord] = []
            for id in stale {
                let revision = try Self.advanceRevision(tx, study: study)
                // Re-read under the study's lock: the worker may have finished it meanwhile.
                guard var trial = try Self.fetchTrial(tx, id: id), trial.state == .running else { continue }
                let retryAttributes = TrialTransition.retryAttributes(of: trial)
                trial.userAttributes[TrialRecord.failReasonKey] = TrialTransition.staleReason
                try tx.rows(
                    "UPDATE trials SET state = 'FAIL', finished_at = ?, user_attributes = ?, revision = ? WHERE id = ?",
                    [now.timeIntervalSince1970, try StorageCoding.encode(trial.userAttributes), revision, id])
                trial.state = .fail
                trial.finishedAt = now
                trial.revision = revision
                failed.append(trial)
                if requeue {
                    let copyRevision = try Self.advanceRevision(tx, study: study)
                    try tx.rows(
                        "INSERT INTO trials (study_id, number, state, params, user_attributes, revision) VALUES (?, ?, 'WAITING', ?, ?, ?)",
                        [study, try Self.nextTrialNumber(tx, study: study), try StorageCoding.encode(trial.params),
                         try StorageCoding.encode(retryAttributes), copyRevision])
                }
            }
            return failed
        }
    }

    // MARK: Reads

    public func trials(study: Int64, changedAfter revision: Int64) throws -> TrialChanges {
        try database.read { tx in
            guard let current = try tx.row("SELECT revision FROM studies WHERE id = ?", [study])?.int64(0) else {
                throw TuningError.storage("\(location): no study with id \(study)")
            }
            var values: [Int64: [Int: Double]] = [:]
            for row in try tx.rows(
                """
                SELECT v.trial_id, v.step, v.value FROM intermediate_values v JOIN trials t ON t.id = v.trial_id
                WHERE t.study_id = ? AND t.revision > ?
                """, [study, revision])
            {
                values[try row.int64(0), default: [:]][try row.int(1)] = try row.double(2)
            }
            let trials = try tx.rows(
                "SELECT \(Self.trialColumns) FROM trials WHERE study_id = ? AND revision > ? ORDER BY number", [study, revision]
            ).map { row in try Self.trialRecord(row, intermediateValues: values[try row.int64(0)] ?? [:]) }
            return TrialChanges(trials: trials, revision: current)
        }
    }

    public func trial(study: Int64, number: Int) throws -> TrialRecord? {
        try database.read { tx in
            guard let id = try tx.row("SELECT id FROM trials WHERE study_id = ? AND number = ?", [study, number])?.int64(0)
            else { return nil }
            return try Self.fetchTrial(tx, id: id)
        }
    }

    public func nextCounterValue(study: Int64, name: String) throws -> Int {
        try write { tx in
            guard let value = try tx.row(
                """
                INSERT INTO counters (study_id, name, value) VALUES (?, ?, 1)
                ON CONFLICT (study_id, name) DO UPDATE SET value = counters.value + 1 RETURNING value
                """, [study, name]
            )?.int(0) else { throw TuningError.storage("\(location): counter '\(name)' returned nothing") }
            return value - 1
        }
    }

    // MARK: Helpers

    private static let studyColumns = "id, name, direction, seed, space, created_at"
    private static let trialColumns =
        "id, number, state, params, value, user_attributes, started_at, finished_at, heartbeat_at, revision"

    /// A write transaction, refused when the storage was opened read-only.
    @discardableResult
    private func write<T>(_ body: (any SQLTransaction) throws -> T) throws -> T {
        guard !readOnly else { throw TuningError.storage("\(location) is open read-only") }
        return try database.write(body)
    }

    /// Runs `body` in a write transaction holding the study's lock, after checking that the trial
    /// is running; `body` gets the study's new revision for the trial row.
    @discardableResult
    private func updateRunning<T>(_ trial: Int64, _ body: (any SQLTransaction, Int64) throws -> T) throws -> T {
        try write { tx in
            let revision = try Self.advanceRevision(tx, study: try Self.studyOf(tx, trial: trial, requireRunning: false))
            _ = try Self.studyOf(tx, trial: trial, requireRunning: true)
            return try body(tx, revision)
        }
    }

    /// The study of a trial; with `requireRunning`, throws unless the trial is running.
    private static func studyOf(_ tx: any SQLTransaction, trial: Int64, requireRunning: Bool) throws -> Int64 {
        guard let row = try tx.row("SELECT study_id, number, state FROM trials WHERE id = ?", [trial]) else {
            throw TuningError.storage("no trial with id \(trial)")
        }
        let state = try row.string(2)
        if requireRunning, state != TrialState.running.rawValue {
            throw TuningError.invalidTrialState(trial: try row.int(1), reason: "is \(state), not RUNNING")
        }
        return try row.int64(0)
    }

    /// Locks the study's row until the transaction ends and returns its next revision.
    private static func advanceRevision(_ tx: any SQLTransaction, study: Int64) throws -> Int64 {
        guard let revision = try tx.row("UPDATE studies SET revision = revision + 1 WHERE id = ? RETURNING revision", [study])?.int64(0)
        else { throw TuningError.storage("no study with id \(study)") }
        return revision
    }

    /// One past the highest trial number (a descending index walk; `MAX()` inside an expression
    /// would scan the study's trials).
    private static func nextTrialNumber(_ tx: any SQLTransaction, study: Int64) throws -> Int {
        let last = try tx.row("SELECT number FROM trials WHERE study_id = ? ORDER BY number DESC LIMIT 1", [study])?.int(0)
        return (last ?? -1) + 1
    }

    private static func mergeAttributes(_ tx: any SQLTransaction, trial: Int64, _ changes: [String: String]) throws {
        let text = try tx.row("SELECT user_attributes FROM trials WHERE id = ?", [trial])?.string(0) ?? "{}"
        let merged = try StorageCoding.decode([String: String].self, from: text).merging(changes) { $1 }
        try tx.rows("UPDATE trials SET user_attributes = ? WHERE id = ?", [try StorageCoding.encode(merged), trial])
    }

    private static func fetchStudy(_ tx: any SQLTransaction, name: String) throws -> StudyRecord? {
        try tx.row("SELECT \(studyColumns) FROM studies WHERE name = ?", [name]).map(studyRecord)
    }

    private static func studyRecord(_ row: SQLRow) throws -> StudyRecord {
        let id = try row.int64(0), directionName = try row.string(2)
        guard let direction = StudyDirection(rawValue: directionName) else {
            throw TuningError.storage("study \(id) has direction '\(directionName)'")
        }
        let definition = StudyDefinition(
            name: try row.string(1), direction: direction, seed: UInt64(bitPattern: try row.int64(3)),
            space: try StorageCoding.decode(SearchSpace.self, from: try row.string(4)))
        guard let created = try row.double(5) else { throw TuningError.storage("study \(id) has no creation time") }
        return StudyRecord(id: id, definition: definition, createdAt: Date(timeIntervalSince1970: created))
    }

    private static func fetchTrial(_ tx: any SQLTransaction, id: Int64) throws -> TrialRecord? {
        var values: [Int: Double] = [:]
        for row in try tx.rows("SELECT step, value FROM intermediate_values WHERE trial_id = ?", [id]) {
            values[try row.int(0)] = try row.double(1)
        }
        return try tx.row("SELECT \(trialColumns) FROM trials WHERE id = ?", [id]).map {
            try trialRecord($0, intermediateValues: values)
        }
    }

    private static func trialRecord(_ row: SQLRow, intermediateValues: [Int: Double]) throws -> TrialRecord {
        let id = try row.int64(0), stateName = try row.string(2)
        guard let state = TrialState(rawValue: stateName) else { throw TuningError.storage("trial \(id) has state '\(stateName)'") }
        return TrialRecord(
            id: id, number: try row.int(1), state: state,
            params: try StorageCoding.decode([String: ParameterValue].self, from: try row.string(3)),
            value: try row.double(4), intermediateValues: intermediateValues,
            userAttributes: try StorageCoding.decode([String: String].self, from: try row.string(5)),
            startedAt: try row.double(6).map(Date.init(timeIntervalSince1970:)),
            finishedAt: try row.double(7).map(Date.init(timeIntervalSince1970:)),
            heartbeatAt: try row.double(8).map(Date.init(timeIntervalSince1970:)),
            revision: try row.int64(9))
    }
}

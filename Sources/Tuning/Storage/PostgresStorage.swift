import Foundation

/// Keeps studies in a PostgreSQL database, for workers on many machines (through libpq).
///
/// The same schema and rules as `SQLiteStorage`: every write to a study's trials first locks the
/// study's row (advancing its revision with `UPDATE ... RETURNING`), so revisions are handed out
/// in commit order; reads of changes run in one repeatable-read snapshot. One connection per
/// storage object; this process's workers take turns on it.
public final class PostgresStorage: Storage {
    private let connection: PostgresConnection
    /// The server and database, without the password.
    public var location: String { connection.location }

    /// Connects to `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` and creates the tables if needed.
    public init(url: String) throws {
        connection = try PostgresConnection(url: url)
        try connection.transaction { tx in
            // One creator at a time, however many workers start together.
            try tx.run("SELECT pg_advisory_xact_lock(7261)")
            for statement in Self.schema { try tx.run(statement) }
        }
    }

    private static let schema = [
        """
        CREATE TABLE IF NOT EXISTS studies (
            id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, direction TEXT NOT NULL, seed BIGINT NOT NULL,
            space TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL, revision BIGINT NOT NULL DEFAULT 0)
        """,
        """
        CREATE TABLE IF NOT EXISTS trials (
            id BIGSERIAL PRIMARY KEY, study_id BIGINT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
            number BIGINT NOT NULL, state TEXT NOT NULL, params TEXT NOT NULL, value DOUBLE PRECISION,
            user_attributes TEXT NOT NULL, started_at DOUBLE PRECISION, finished_at DOUBLE PRECISION,
            heartbeat_at DOUBLE PRECISION, revision BIGINT NOT NULL, UNIQUE (study_id, number))
        """,
        "CREATE INDEX IF NOT EXISTS trials_by_revision ON trials (study_id, revision)",
        "CREATE INDEX IF NOT EXISTS trials_by_state ON trials (study_id, state, number)",
        "CREATE INDEX IF NOT EXISTS trials_by_heartbeat ON trials (study_id, state, heartbeat_at)",
        """
        CREATE TABLE IF NOT EXISTS intermediate_values (
            trial_id BIGINT NOT NULL REFERENCES trials(id) ON DELETE CASCADE, step BIGINT NOT NULL,
            value DOUBLE PRECISION NOT NULL, PRIMARY KEY (trial_id, step))
        """,
        """
        CREATE TABLE IF NOT EXISTS study_attributes (
            study_id BIGINT NOT NULL REFERENCES studies(id) ON DELETE CASCADE, key TEXT NOT NULL,
            value TEXT NOT NULL, PRIMARY KEY (study_id, key))
        """,
        """
        CREATE TABLE IF NOT EXISTS counters (
            study_id BIGINT NOT NULL REFERENCES studies(id) ON DELETE CASCADE, name TEXT NOT NULL,
            value BIGINT NOT NULL, PRIMARY KEY (study_id, name))
        """,
    ]

    // MARK: Studies

    public func createStudy(_ definition: StudyDefinition, at now: Date) throws -> StudyRecord {
        let space = try StorageCoding.encode(definition.space)
        return try connection.transaction { tx in
            try tx.run(
                """
                INSERT INTO studies (name, direction, seed, space, created_at) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (name) DO NOTHING
                """,
                [definition.name, definition.direction.rawValue, Int64(bitPattern: definition.seed), space, now.timeIntervalSince1970])
            guard let study = try Self.fetchStudy(tx, name: definition.name) else {
                throw TuningError.storage("study '\(definition.name)' was not created")
            }
            return study
        }
    }

    public func study(named name: String) throws -> StudyRecord? {
        try connection.transaction(snapshot: true) { tx in try Self.fetchStudy(tx, name: name) }
    }

    public func studies() throws -> [StudyRecord] {
        try connection.transaction(snapshot: true) { tx in
            try tx.run("SELECT \(Self.studyColumns) FROM studies ORDER BY id").map(Self.studyRecord)
        }
    }

    public func setStudyAttribute(study: Int64, key: String, value: String) throws {
        try connection.execute(
                """
                INSERT INTO study_attributes (study_id, key, value) VALUES ($1, $2, $3)
                ON CONFLICT (study_id, key) DO UPDATE SET value = EXCLUDED.value
                """, [study, key, value])
    }

    public func studyAttributes(study: Int64) throws -> [String: String] {
        try connection.transaction(snapshot: true) { tx in
            var attributes: [String: String] = [:]
            for row in try tx.run("SELECT key, value FROM study_attributes WHERE study_id = $1", [study]) {
                attributes[try row.string(0)] = try row.string(1)
            }
            return attributes
        }
    }

    private static let studyColumns = "id, name, direction, seed, space, created_at"

    private static func fetchStudy(_ tx: PostgresConnection.Transaction, name: String) throws -> StudyRecord? {
        try tx.run("SELECT \(studyColumns) FROM studies WHERE name = $1", [name]).map(studyRecord).first
    }

    private static func studyRecord(_ row: PostgresRow) throws -> StudyRecord {
        let id = try row.int64(0), directionName = try row.string(2)
        guard let direction = StudyDirection(rawValue: directionName) else {
            throw TuningError.storage("study \(id) has direction '\(directionName)'")
        }
        let definition = StudyDefinition(
            name: try row.string(1), direction: direction, seed: UInt64(bitPattern: try row.int64(3)),
            space: try StorageCoding.decode(SearchSpace.self, from: try row.string(4)))
        return StudyRecord(id: id, definition: definition, createdAt: Date(timeIntervalSince1970: try row.double(5) ?? 0))
    }

    // MARK: Trial writes

    public func createTrial(
        study: Int64, state: TrialState, params: [String: ParameterValue],
        userAttributes: [String: String], limit: Int?, at now: Date
    ) throws -> TrialRecord? {
        let encodedParams = try StorageCoding.encode(params), encodedAttributes = try StorageCoding.encode(userAttributes)
        return try connection.transaction { tx in
            let revision = try Self.advanceRevision(tx, study: study)
            let number = try Self.nextTrialNumber(tx, study: study)
            if let limit, number >= limit {
                try tx.rollback()
                return nil
            }
            let started: Double? = state == .running ? now.timeIntervalSince1970 : nil
            let id = try tx.run(
                """
                INSERT INTO trials (study_id, number, state, params, user_attributes, started_at, heartbeat_at, revision)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
                """,
                [study, number, state.rawValue, encodedParams, encodedAttributes, started, started, revision]
            ).first?.int64(0)
            guard let id else { throw TuningError.storage("insert returned no id") }
            return TrialRecord(
                id: id, number: number, state: state, params: params, userAttributes: userAttributes,
                startedAt: started.map(Date.init(timeIntervalSince1970:)), heartbeatAt: started.map(Date.init(timeIntervalSince1970:)),
                revision: revision)
        }
    }

    public func claimWaitingTrial(study: Int64, at now: Date) throws -> TrialRecord? {
        try connection.transaction { tx in
            let revision = try Self.advanceRevision(tx, study: study)
            guard let id = try tx.run(
                "SELECT id FROM trials WHERE study_id = $1 AND state = 'WAITING' ORDER BY number LIMIT 1", [study]
            ).first?.int64(0) else {
                try tx.rollback()
                return nil
            }
            let time = now.timeIntervalSince1970
            try tx.run(
                "UPDATE trials SET state = 'RUNNING', started_at = $1, heartbeat_at = $1, revision = $2 WHERE id = $3",
                [time, revision, id])
            return try Self.fetchTrial(tx, id: id)
        }
    }

    public func setParams(trial: Int64, _ params: [String: ParameterValue]) throws {
        let encoded = try StorageCoding.encode(params)
        try updateRunning(trial) { tx, revision in
            try tx.run("UPDATE trials SET params = $1, revision = $2 WHERE id = $3", [encoded, revision, trial])
        }
    }

    public func reportIntermediate(trial: Int64, step: Int, value: Double, at now: Date) throws {
        guard value.isFinite else { throw TuningError.storage("intermediate values must be finite") }
        try updateRunning(trial) { tx, revision in
            try tx.run(
                """
                INSERT INTO intermediate_values (trial_id, step, value) VALUES ($1, $2, $3)
                ON CONFLICT (trial_id, step) DO UPDATE SET value = EXCLUDED.value
                """, [trial, step, value])
            try tx.run("UPDATE trials SET heartbeat_at = $1, revision = $2 WHERE id = $3", [now.timeIntervalSince1970, revision, trial])
        }
    }

    public func setUserAttribute(trial: Int64, key: String, value: String) throws {
        try connection.transaction { tx in
            let revision = try Self.advanceRevision(tx, study: try Self.studyOf(tx, trial: trial, requireRunning: false))
            try Self.mergeAttributes(tx, trial: trial, [key: value])
            try tx.run("UPDATE trials SET revision = $1 WHERE id = $2", [revision, trial])
        }
    }

    @discardableResult
    public func finishTrial(trial: Int64, state: TrialState, value: Double?, failReason: String?, at now: Date) throws -> TrialRecord {
        try TrialTransition.checkFinal(state, value: value)
        return try updateRunning(trial) { tx, revision in
            if let failReason { try Self.mergeAttributes(tx, trial: trial, [TrialRecord.failReasonKey: failReason]) }
            var value = value
            if value == nil, state == .pruned {
                value = try tx.run(
                    "SELECT value FROM intermediate_values WHERE trial_id = $1 ORDER BY step DESC LIMIT 1", [trial]
                ).first?.double(0)
            }
            try tx.run(
                "UPDATE trials SET state = $1, value = $2, finished_at = $3, revision = $4 WHERE id = $5",
                [state.rawValue, value, now.timeIntervalSince1970, revision, trial])
            guard let stored = try Self.fetchTrial(tx, id: trial) else { throw TuningError.storage("trial \(trial) vanished") }
            return stored
        }
    }

    public func heartbeat(trial: Int64, at now: Date) throws {
        try connection.execute(
            "UPDATE trials SET heartbeat_at = $1 WHERE id = $2 AND state = 'RUNNING'", [now.timeIntervalSince1970, trial])
    }

    public func failStaleTrials(study: Int64, staleBefore: Date, requeue: Bool, at now: Date) throws -> [TrialRecord] {
        try connection.transaction { tx in
            let stale = try tx.run(
                "SELECT id FROM trials WHERE study_id = $1 AND state = 'RUNNING' AND heartbeat_at < $2",
                [study, staleBefore.timeIntervalSince1970]
            ).map { try $0.int64(0) }
            var failed: [TrialRecord] = []
            for id in stale {
                let revision = try Self.advanceRevision(tx, study: study)
                // Re-read under the study lock: the worker may have finished it meanwhile.
                guard var trial = try Self.fetchTrial(tx, id: id), trial.state == .running else { continue }
                let retryAttributes = TrialTransition.retryAttributes(of: trial)
                trial.userAttributes[TrialRecord.failReasonKey] = TrialTransition.staleReason
                try tx.run(
                    "UPDATE trials SET state = 'FAIL', finished_at = $1, user_attributes = $2, revision = $3 WHERE id = $4",
                    [now.timeIntervalSince1970, try StorageCoding.encode(trial.userAttributes), revision, id])
                trial.state = .fail
                trial.finishedAt = now
                trial.revision = revision
                failed.append(trial)
                if requeue {
                    let copyRevision = try Self.advanceRevision(tx, study: study)
                    try tx.run(
                        """
                        INSERT INTO trials (study_id, number, state, params, user_attributes, revision)
                        VALUES ($1, $2, 'WAITING', $3, $4, $5)
                        """,
                        [study, try Self.nextTrialNumber(tx, study: study), try StorageCoding.encode(trial.params),
                         try StorageCoding.encode(retryAttributes), copyRevision])
                }
            }
            return failed
        }
    }

    // MARK: Reads

    public func trials(study: Int64, changedAfter revision: Int64) throws -> TrialChanges {
        try connection.transaction(snapshot: true) { tx in
            guard let current = try tx.run("SELECT revision FROM studies WHERE id = $1", [study]).first?.int64(0) else {
                throw TuningError.storage("no study with id \(study)")
            }
            var values: [Int64: [Int: Double]] = [:]
            for row in try tx.run(
                """
                SELECT v.trial_id, v.step, v.value FROM intermediate_values v JOIN trials t ON t.id = v.trial_id
                WHERE t.study_id = $1 AND t.revision > $2
                """, [study, revision])
            {
                values[try row.int64(0), default: [:]][try row.int(1)] = try row.double(2)
            }
            let trials = try tx.run(
                "SELECT \(Self.trialColumns) FROM trials WHERE study_id = $1 AND revision > $2 ORDER BY number", [study, revision]
            ).map { row in try Self.trialRecord(row, intermediateValues: values[try row.int64(0)] ?? [:]) }
            return TrialChanges(trials: trials, revision: current)
        }
    }

    public func trial(study: Int64, number: Int) throws -> TrialRecord? {
        try connection.transaction(snapshot: true) { tx in
            guard let id = try tx.run("SELECT id FROM trials WHERE study_id = $1 AND number = $2", [study, number]).first?.int64(0)
            else { return nil }
            return try Self.fetchTrial(tx, id: id)
        }
    }

    public func nextCounterValue(study: Int64, name: String) throws -> Int {
        try connection.transaction { tx in
            let value = try tx.run(
                """
                INSERT INTO counters (study_id, name, value) VALUES ($1, $2, 1)
                ON CONFLICT (study_id, name) DO UPDATE SET value = counters.value + 1 RETURNING value
                """, [study, name]
            ).first?.int(0)
            guard let value else { throw TuningError.storage("counter returned nothing") }
            return value - 1
        }
    }

    // MARK: Helpers

    private static let trialColumns =
        "id, number, state, params, value, user_attributes, started_at, finished_at, heartbeat_at, revision"

    /// Runs `body` in a transaction holding the study's lock, after checking that the trial is
    /// running; `body` gets the study's new revision for the trial row.
    @discardableResult
    private func updateRunning<T>(_ trial: Int64, _ body: (PostgresConnection.Transaction, Int64) throws -> T) throws -> T {
        try connection.transaction { tx in
            let revision = try Self.advanceRevision(tx, study: try Self.studyOf(tx, trial: trial, requireRunning: false))
            _ = try Self.studyOf(tx, trial: trial, requireRunning: true)
            return try body(tx, revision)
        }
    }

    private static func studyOf(_ tx: PostgresConnection.Transaction, trial: Int64, requireRunning: Bool) throws -> Int64 {
        guard let row = try tx.run("SELECT study_id, number, state FROM trials WHERE id = $1", [trial]).first else {
            throw TuningError.storage("no trial with id \(trial)")
        }
        let state = try row.string(2)
        if requireRunning, state != TrialState.running.rawValue {
            throw TuningError.invalidTrialState(trial: try row.int(1), reason: "is \(state), not RUNNING")
        }
        return try row.int64(0)
    }

    /// Locks the study's row until the transaction ends and returns its next revision.
    private static func advanceRevision(_ tx: PostgresConnection.Transaction, study: Int64) throws -> Int64 {
        guard let revision = try tx.run("UPDATE studies SET revision = revision + 1 WHERE id = $1 RETURNING revision", [study])
            .first?.int64(0)
        else { throw TuningError.storage("no study with id \(study)") }
        return revision
    }

    private static func nextTrialNumber(_ tx: PostgresConnection.Transaction, study: Int64) throws -> Int {
        let last = try tx.run("SELECT number FROM trials WHERE study_id = $1 ORDER BY number DESC LIMIT 1", [study]).first?.int(0)
        return (last ?? -1) + 1
    }

    private static func mergeAttributes(_ tx: PostgresConnection.Transaction, trial: Int64, _ changes: [String: String]) throws {
        let text = try tx.run("SELECT user_attributes FROM trials WHERE id = $1", [trial]).first?.string(0) ?? "{}"
        let merged = try StorageCoding.decode([String: String].self, from: text).merging(changes) { $1 }
        try tx.run("UPDATE trials SET user_attributes = $1 WHERE id = $2", [try StorageCoding.encode(merged), trial])
    }

    private static func fetchTrial(_ tx: PostgresConnection.Transaction, id: Int64) throws -> TrialRecord? {
        var values: [Int: Double] = [:]
        for row in try tx.run("SELECT step, value FROM intermediate_values WHERE trial_id = $1", [id]) {
            values[try row.int(0)] = try row.double(1)
        }
        return try tx.run("SELECT \(trialColumns) FROM trials WHERE id = $1", [id]).first.map {
            try trialRecord($0, intermediateValues: values)
        }
    }

    private static func trialRecord(_ row: PostgresRow, intermediateValues: [Int: Double]) throws -> TrialRecord {
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

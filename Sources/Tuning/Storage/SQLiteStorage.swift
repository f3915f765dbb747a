import Foundation
import GRDB

/// Keeps studies in one SQLite file (the default storage). WAL mode, a busy timeout and
/// IMMEDIATE write transactions make it safe for several processes on one machine; every write
/// is committed before the call returns, so a crash loses nothing that was reported.
///
/// Every query is by primary key or through an index, and appending a trial touches only that
/// trial's rows, so the cost per trial stays flat as a study grows.
public final class SQLiteStorage: Storage {
    private let database: DatabasePool
    /// The database file.
    public let path: String

    /// Opens (creating if needed) the database at `path`. `busyTimeout` is how long a write waits
    /// for other processes' writes before failing.
    public init(path: String, busyTimeout: TimeInterval = 60) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            database = try DatabasePool(path: path, configuration: configuration)
            try database.write { db in try Self.createSchema(db) }
        } catch {
            throw TuningError.storage("cannot open SQLite database \(path): \(error)")
        }
    }

    private static func createSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS studies (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                direction TEXT NOT NULL,
                seed INTEGER NOT NULL,
                space TEXT NOT NULL,
                created_at REAL NOT NULL,
                revision INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE IF NOT EXISTS trials (
                id INTEGER PRIMARY KEY,
                study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
                number INTEGER NOT NULL,
                state TEXT NOT NULL,
                params TEXT NOT NULL,
                value REAL,
                user_attributes TEXT NOT NULL,
                started_at REAL,
                finished_at REAL,
                heartbeat_at REAL,
                revision INTEGER NOT NULL,
                UNIQUE (study_id, number)
            );
            CREATE INDEX IF NOT EXISTS trials_by_revision ON trials (study_id, revision);
            CREATE INDEX IF NOT EXISTS trials_by_state ON trials (study_id, state, number);
            CREATE INDEX IF NOT EXISTS trials_by_heartbeat ON trials (study_id, state, heartbeat_at);
            CREATE TABLE IF NOT EXISTS intermediate_values (
                trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
                step INTEGER NOT NULL,
                value REAL NOT NULL,
                PRIMARY KEY (trial_id, step)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS study_attributes (
                study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (study_id, key)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS counters (
                study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                value INTEGER NOT NULL,
                PRIMARY KEY (study_id, name)
            ) WITHOUT ROWID;
            """)
    }

    // MARK: Studies

    public func createStudy(_ definition: StudyDefinition, at now: Date) throws -> StudyRecord {
        try guarded {
            try database.write { db in
                if let existing = try Self.fetchStudy(db, name: definition.name) { return existing }
                try db.execute(
                    sql: "INSERT INTO studies (name, direction, seed, space, created_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [definition.name, definition.direction.rawValue, Int64(bitPattern: definition.seed),
                                try StorageCoding.encode(definition.space), now.timeIntervalSince1970])
                return StudyRecord(id: db.lastInsertedRowID, definition: definition, createdAt: now)
            }
        }
    }

    public func study(named name: String) throws -> StudyRecord? {
        try guarded { try database.read { db in try Self.fetchStudy(db, name: name) } }
    }

    public func studies() throws -> [StudyRecord] {
        try guarded {
            try database.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM studies ORDER BY id").map(Self.studyRecord)
            }
        }
    }

    public func setStudyAttribute(study: Int64, key: String, value: String) throws {
        try guarded {
            try database.write { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO study_attributes (study_id, key, value) VALUES (?, ?, ?)",
                    arguments: [study, key, value])
            }
        }
    }

    public func studyAttributes(study: Int64) throws -> [String: String] {
        try guarded {
            try database.read { db in
                var attributes: [String: String] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT key, value FROM study_attributes WHERE study_id = ?", arguments: [study]) {
                    attributes[row["key"]] = row["value"]
                }
                return attributes
            }
        }
    }

    private static func fetchStudy(_ db: Database, name: String) throws -> StudyRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM studies WHERE name = ?", arguments: [name]).map(studyRecord)
    }

    private static func studyRecord(_ row: Row) throws -> StudyRecord {
        let directionName: String = row["direction"]
        guard let direction = StudyDirection(rawValue: directionName) else {
            throw TuningError.storage("study row \(row["id"] as Int64) has direction '\(directionName)'")
        }
        let definition = StudyDefinition(
            name: row["name"], direction: direction, seed: UInt64(bitPattern: row["seed"]),
            space: try StorageCoding.decode(SearchSpace.self, from: row["space"]))
        return StudyRecord(id: row["id"], definition: definition, createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    // MARK: Trial writes

    public func createTrial(
        study: Int64, state: TrialState, params: [String: ParameterValue],
        userAttributes: [String: String], limit: Int?, at now: Date
    ) throws -> TrialRecord? {
        try guarded {
            try database.write { db -> TrialRecord? in
                let number = try Self.nextTrialNumber(db, study: study)
                if let limit, number >= limit { return nil }
                let revision = try Self.advanceRevision(db, study: study)
                let started: Double? = state == .running ? now.timeIntervalSince1970 : nil
                try db.execute(
                    sql: """
                        INSERT INTO trials (study_id, number, state, params, user_attributes, started_at, heartbeat_at, revision)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [study, number, state.rawValue, try StorageCoding.encode(params),
                                try StorageCoding.encode(userAttributes), started, started, revision])
                return TrialRecord(
                    id: db.lastInsertedRowID, number: number, state: state, params: params,
                    userAttributes: userAttributes, startedAt: started.map(Date.init(timeIntervalSince1970:)),
                    heartbeatAt: started.map(Date.init(timeIntervalSince1970:)), revision: revision)
            }
        }
    }

    public func claimWaitingTrial(study: Int64, at now: Date) throws -> TrialRecord? {
        try guarded {
            try database.write { db -> TrialRecord? in
                guard let id = try Int64.fetchOne(
                    db, sql: "SELECT id FROM trials WHERE study_id = ? AND state = 'WAITING' ORDER BY number LIMIT 1",
                    arguments: [study])
                else { return nil }
                let revision = try Self.advanceRevision(db, study: study)
                try db.execute(
                    sql: "UPDATE trials SET state = 'RUNNING', started_at = ?, heartbeat_at = ?, revision = ? WHERE id = ?",
                    arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970, revision, id])
                return try Self.fetchTrial(db, id: id)
            }
        }
    }

    public func setParams(trial: Int64, _ params: [String: ParameterValue]) throws {
        let encoded = try StorageCoding.encode(params)
        try updateRunning(trial) { db, revision in
            try db.execute(sql: "UPDATE trials SET params = ?, revision = ? WHERE id = ?", arguments: [encoded, revision, trial])
        }
    }

    public func reportIntermediate(trial: Int64, step: Int, value: Double, at now: Date) throws {
        guard value.isFinite else { throw TuningError.storage("intermediate values must be finite") }
        try updateRunning(trial) { db, revision in
            try db.execute(
                sql: "INSERT OR REPLACE INTO intermediate_values (trial_id, step, value) VALUES (?, ?, ?)",
                arguments: [trial, step, value])
            try db.execute(
                sql: "UPDATE trials SET heartbeat_at = ?, revision = ? WHERE id = ?",
                arguments: [now.timeIntervalSince1970, revision, trial])
        }
    }

    public func setUserAttribute(trial: Int64, key: String, value: String) throws {
        try guarded {
            try database.write { db in
                let studyID = try Self.studyOf(db, trial: trial)
                var attributes = try StorageCoding.decode(
                    [String: String].self,
                    from: try String.fetchOne(db, sql: "SELECT user_attributes FROM trials WHERE id = ?", arguments: [trial]) ?? "{}")
                attributes[key] = value
                let revision = try Self.advanceRevision(db, study: studyID)
                try db.execute(
                    sql: "UPDATE trials SET user_attributes = ?, revision = ? WHERE id = ?",
                    arguments: [try StorageCoding.encode(attributes), revision, trial])
            }
        }
    }

    @discardableResult
    public func finishTrial(trial: Int64, state: TrialState, value: Double?, failReason: String?, at now: Date) throws -> TrialRecord {
        try TrialTransition.checkFinal(state, value: value)
        return try updateRunning(trial) { db, revision in
            if let failReason {
                var attributes = try StorageCoding.decode(
                    [String: String].self,
                    from: try String.fetchOne(db, sql: "SELECT user_attributes FROM trials WHERE id = ?", arguments: [trial]) ?? "{}")
                attributes[TrialRecord.failReasonKey] = failReason
                try db.execute(
                    sql: "UPDATE trials SET user_attributes = ? WHERE id = ?",
                    arguments: [try StorageCoding.encode(attributes), trial])
            }
            var value = value
            if value == nil, state == .pruned {
                value = try Double.fetchOne(
                    db, sql: "SELECT value FROM intermediate_values WHERE trial_id = ? ORDER BY step DESC LIMIT 1", arguments: [trial])
            }
            try db.execute(
                sql: "UPDATE trials SET state = ?, value = ?, finished_at = ?, revision = ? WHERE id = ?",
                arguments: [state.rawValue, value, now.timeIntervalSince1970, revision, trial])
            guard let stored = try Self.fetchTrial(db, id: trial) else { throw TuningError.storage("trial \(trial) vanished") }
            return stored
        }
    }

    public func heartbeat(trial: Int64, at now: Date) throws {
        try guarded {
            try database.write { db in
                try db.execute(
                    sql: "UPDATE trials SET heartbeat_at = ? WHERE id = ? AND state = 'RUNNING'",
                    arguments: [now.timeIntervalSince1970, trial])
            }
        }
    }

    public func failStaleTrials(study: Int64, staleBefore: Date, requeue: Bool, at now: Date) throws -> [TrialRecord] {
        try guarded {
            try database.write { db in
                let ids = try Int64.fetchAll(
                    db, sql: "SELECT id FROM trials WHERE study_id = ? AND state = 'RUNNING' AND heartbeat_at < ?",
                    arguments: [study, staleBefore.timeIntervalSince1970])
                var failed: [TrialRecord] = []
                for id in ids {
                    guard var trial = try Self.fetchTrial(db, id: id) else { continue }
                    let retryAttributes = TrialTransition.retryAttributes(of: trial)
                    trial.userAttributes[TrialRecord.failReasonKey] = TrialTransition.staleReason
                    let revision = try Self.advanceRevision(db, study: study)
                    try db.execute(
                        sql: "UPDATE trials SET state = 'FAIL', finished_at = ?, user_attributes = ?, revision = ? WHERE id = ?",
                        arguments: [now.timeIntervalSince1970, try StorageCoding.encode(trial.userAttributes), revision, id])
                    trial.state = .fail
                    trial.finishedAt = now
                    trial.revision = revision
                    failed.append(trial)
                    if requeue {
                        let number = try Self.nextTrialNumber(db, study: study)
                        let copyRevision = try Self.advanceRevision(db, study: study)
                        try db.execute(
                            sql: """
                                INSERT INTO trials (study_id, number, state, params, user_attributes, revision)
                                VALUES (?, ?, 'WAITING', ?, ?, ?)
                                """,
                            arguments: [study, number, try StorageCoding.encode(trial.params),
                                        try StorageCoding.encode(retryAttributes), copyRevision])
                    }
                }
                return failed
            }
        }
    }

    // MARK: Reads

    public func trials(study: Int64, changedAfter revision: Int64) throws -> TrialChanges {
        try guarded {
            try database.read { db in
                let current = try Int64.fetchOne(db, sql: "SELECT revision FROM studies WHERE id = ?", arguments: [study])
                guard let current else { throw TuningError.storage("no study with id \(study)") }
                var values: [Int64: [Int: Double]] = [:]
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT v.trial_id, v.step, v.value FROM intermediate_values v JOIN trials t ON t.id = v.trial_id
                        WHERE t.study_id = ? AND t.revision > ?
                        """,
                    arguments: [study, revision])
                while let row = try rows.next() {
                    values[row[0], default: [:]][row[1]] = row[2]
                }
                let trials = try Row.fetchAll(
                    db, sql: "SELECT * FROM trials WHERE study_id = ? AND revision > ? ORDER BY number",
                    arguments: [study, revision]
                ).map { row in try Self.trialRecord(row, intermediateValues: values[row["id"]] ?? [:]) }
                return TrialChanges(trials: trials, revision: current)
            }
        }
    }

    public func trial(study: Int64, number: Int) throws -> TrialRecord? {
        try guarded {
            try database.read { db in
                guard let id = try Int64.fetchOne(
                    db, sql: "SELECT id FROM trials WHERE study_id = ? AND number = ?", arguments: [study, number])
                else { return nil }
                return try Self.fetchTrial(db, id: id)
            }
        }
    }

    public func nextCounterValue(study: Int64, name: String) throws -> Int {
        try guarded {
            try database.write { db in
                let value = try Int.fetchOne(
                    db, sql: "SELECT value FROM counters WHERE study_id = ? AND name = ?", arguments: [study, name]) ?? 0
                try db.execute(
                    sql: "INSERT OR REPLACE INTO counters (study_id, name, value) VALUES (?, ?, ?)",
                    arguments: [study, name, value + 1])
                return value
            }
        }
    }

    // MARK: Helpers

    /// Runs `body` in a write transaction after checking that the trial is running; `body` gets the
    /// study's new revision for the trial row.
    @discardableResult
    private func updateRunning<T>(_ trial: Int64, _ body: (Database, Int64) throws -> T) throws -> T {
        try guarded {
            try database.write { db in
                let studyID = try Self.studyOf(db, trial: trial, requireRunning: true)
                return try body(db, try Self.advanceRevision(db, study: studyID))
            }
        }
    }

    /// The study of a trial; with `requireRunning`, throws unless the trial is running.
    private static func studyOf(_ db: Database, trial: Int64, requireRunning: Bool = false) throws -> Int64 {
        guard let row = try Row.fetchOne(db, sql: "SELECT study_id, number, state FROM trials WHERE id = ?", arguments: [trial]) else {
            throw TuningError.storage("no trial with id \(trial)")
        }
        let state: String = row["state"]
        if requireRunning, state != TrialState.running.rawValue {
            throw TuningError.invalidTrialState(trial: row["number"], reason: "is \(state), not RUNNING")
        }
        return row["study_id"]
    }

    /// One past the highest trial number (a descending index walk; `MAX()` inside an expression
    /// would scan the study's trials).
    private static func nextTrialNumber(_ db: Database, study: Int64) throws -> Int {
        let last = try Int.fetchOne(
            db, sql: "SELECT number FROM trials WHERE study_id = ? ORDER BY number DESC LIMIT 1", arguments: [study])
        return (last ?? -1) + 1
    }

    private static func advanceRevision(_ db: Database, study: Int64) throws -> Int64 {
        try db.execute(sql: "UPDATE studies SET revision = revision + 1 WHERE id = ?", arguments: [study])
        guard let revision = try Int64.fetchOne(db, sql: "SELECT revision FROM studies WHERE id = ?", arguments: [study]) else {
            throw TuningError.storage("no study with id \(study)")
        }
        return revision
    }

    private static func fetchTrial(_ db: Database, id: Int64) throws -> TrialRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM trials WHERE id = ?", arguments: [id]) else { return nil }
        var values: [Int: Double] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT step, value FROM intermediate_values WHERE trial_id = ?", arguments: [id])
        while let row = try rows.next() {
            values[row[0]] = row[1]
        }
        return try trialRecord(row, intermediateValues: values)
    }

    private static func trialRecord(_ row: Row, intermediateValues: [Int: Double]) throws -> TrialRecord {
        let stateName: String = row["state"]
        guard let state = TrialState(rawValue: stateName) else {
            throw TuningError.storage("trial row \(row["id"] as Int64) has state '\(stateName)'")
        }
        func date(_ column: String) -> Date? { (row[column] as Double?).map(Date.init(timeIntervalSince1970:)) }
        return TrialRecord(
            id: row["id"], number: row["number"], state: state,
            params: try StorageCoding.decode([String: ParameterValue].self, from: row["params"]),
            value: row["value"], intermediateValues: intermediateValues,
            userAttributes: try StorageCoding.decode([String: String].self, from: row["user_attributes"]),
            startedAt: date("started_at"), finishedAt: date("finished_at"), heartbeatAt: date("heartbeat_at"),
            revision: row["revision"])
    }

    /// Turns database errors into `TuningError.storage` naming the file; tuning errors pass through.
    private func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TuningError {
            throw error
        } catch {
            throw TuningError.storage("\(path): \(error)")
        }
    }
}

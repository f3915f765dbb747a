import Foundation
import GRDB

extension SQLStorage {
    /// Opens the studies in the SQLite file at `path`, creating the file if needed. `busyTimeout`
    /// is how long a write waits for other processes' writes before failing.
    public static func sqlite(path: String, busyTimeout: TimeInterval = 60) throws -> SQLStorage {
        try SQLStorage(database: try SQLiteDatabase(path: path, busyTimeout: busyTimeout))
    }
}

/// One SQLite file, through GRDB. WAL mode, a busy timeout and IMMEDIATE write transactions make
/// it safe for several processes on one machine.
struct SQLiteDatabase: SQLDatabase {
    private let connection: any DatabaseWriter
    let location: String

    /// Opens (creating if needed) the file for reading and writing, in WAL mode.
    init(path: String, busyTimeout: TimeInterval) throws {
        location = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            connection = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw TuningError.storage("cannot open SQLite database \(path): \(error)")
        }
    }

    private static let schema = """
        CREATE TABLE IF NOT EXISTS studies (
            id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, direction TEXT NOT NULL, seed INTEGER NOT NULL,
            space TEXT NOT NULL, created_at REAL NOT NULL, revision INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS trials (
            id INTEGER PRIMARY KEY, study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
            number INTEGER NOT NULL, state TEXT NOT NULL, params TEXT NOT NULL, value REAL,
            user_attributes TEXT NOT NULL, started_at REAL, finished_at REAL, heartbeat_at REAL,
            revision INTEGER NOT NULL, UNIQUE (study_id, number));
        CREATE INDEX IF NOT EXISTS trials_by_revision ON trials (study_id, revision);
        CREATE INDEX IF NOT EXISTS trials_by_state ON trials (study_id, state, number);
        CREATE INDEX IF NOT EXISTS trials_by_heartbeat ON trials (study_id, state, heartbeat_at);
        CREATE TABLE IF NOT EXISTS intermediate_values (
            trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE, step INTEGER NOT NULL,
            value REAL NOT NULL, PRIMARY KEY (trial_id, step)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS study_attributes (
            study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE, key TEXT NOT NULL,
            value TEXT NOT NULL, PRIMARY KEY (study_id, key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS counters (
            study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE, name TEXT NOT NULL,
            value INTEGER NOT NULL, PRIMARY KEY (study_id, name)) WITHOUT ROWID;
        """

    func createTables() throws {
        try guarded { try connection.write { db in try db.execute(sql: Self.schema) } }
    }

    func write<T>(_ body: (any SQLTransaction) throws -> T) throws -> T {
        try guarded {
            try connection.writeWithoutTransaction { db in
                try db.beginTransaction(.immediate)
                do {
                    let transaction = SQLiteTransaction(db)
                    let result = try body(transaction)
                    if transaction.rollsBack { try db.rollback() } else { try db.commit() }
                    return result
                } catch {
                    if db.isInsideTransaction { try? db.rollback() }
                    throw error
                }
            }
        }
    }

    func read<T>(_ body: (any SQLTransaction) throws -> T) throws -> T {
        try guarded { try connection.read { db in try body(SQLiteTransaction(db)) } }
    }

    /// Turns database errors into `TuningError.storage` naming the file; tuning errors pass through.
    private func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TuningError {
            throw error
        } catch {
            throw TuningError.storage("\(location): \(error)")
        }
    }
}

/// Statements on one GRDB connection, inside a transaction.
private final class SQLiteTransaction: SQLTransaction {
    private let db: Database
    private(set) var rollsBack = false

    init(_ db: Database) {
        self.db = db
    }

    @discardableResult
    func rows(_ sql: String, _ arguments: [any SQLArgument]) throws -> [SQLRow] {
        let statement = try db.cachedStatement(sql: sql)
        let values = StatementArguments(arguments.map { Self.databaseValue($0.sqlValue) })
        return try Row.fetchAll(statement, arguments: values).map { row in
            SQLRow(values: try row.databaseValues.map(Self.sqlValue))
        }
    }

    func rollBackOnReturn() {
        rollsBack = true
    }

    private static func databaseValue(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .null: return .null
        case let .integer(integer): return integer.databaseValue
        case let .real(real): return real.databaseValue
        case let .text(text): return text.databaseValue
        }
    }

    private static func sqlValue(_ value: DatabaseValue) throws -> SQLValue {
        switch value.storage {
        case .null: return .null
        case let .int64(integer): return .integer(integer)
        case let .double(real): return .real(real)
        case let .string(text): return .text(text)
        case .blob: throw TuningError.storage("a column holds a blob; SwiftTune stores none")
        }
    }
}

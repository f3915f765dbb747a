import Foundation
import GRDB

extension SQLStorage {
    /// Opens the studies in the SQLite file at `path`, creating the file if needed. `busyTimeout`
    /// is how long a write waits for other processes' writes before failing. With `readOnly`, the
    /// file must exist and hold studies, and nothing is written: a mistyped path is an error,
    /// and a file (or folder) this user cannot write can still be read.
    public static func sqlite(path: String, busyTimeout: TimeInterval = 60, readOnly: Bool = false) throws -> SQLStorage {
        let database = readOnly ? try SQLiteDatabase(existing: path) : try SQLiteDatabase(path: path, busyTimeout: busyTimeout)
        return try SQLStorage(database: database, readOnly: readOnly)
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

    /// Opens an existing file for reading only.
    init(existing path: String) throws {
        location = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw TuningError.storage("no SQLite database at \(path) (check the path; reading never creates one)")
        }
        var configuration = Configuration()
        configuration.readonly = true
        do {
            connection = try Self.openReadOnly(path, configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY && !Self.hasWriteAheadLog(path) {
            // A WAL-mode file in a folder this user cannot write: SQLite cannot create the shared
            // index next to it. With no log beside it, no process is writing the file, so it is
            // read as it is on disk (SQLite's immutable mode).
            do {
                connection = try Self.openReadOnly(Self.immutableURI(path), configuration)
            } catch {
                throw TuningError.storage("cannot read SQLite database \(path): \(error)")
            }
        } catch {
            throw TuningError.storage("cannot read SQLite database \(path): \(error)")
        }
    }

    /// Opens a read-only connection and reads the schema, which is where SQLite first needs the
    /// WAL index.
    private static func openReadOnly(_ path: String, _ configuration: Configuration) throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        _ = try queue.read { db in try db.tableExists("studies") }
        return queue
    }

    private static func hasWriteAheadLog(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "-wal")
    }

    /// `path` as an SQLite URI that opens the file without locks or a WAL index.
    private static func immutableURI(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let encoded = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute
        return "file:\(encoded)?immutable=1"
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

    func hasTables() throws -> Bool {
        // The schema is created in one transaction, so its last table stands for all of them.
        try guarded { try connection.read { db in try db.tableExists("counters") } }
    }

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

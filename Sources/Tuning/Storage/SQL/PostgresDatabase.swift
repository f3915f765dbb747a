import CLibPQ
import Foundation
import Synchronization

extension SQLStorage {
    /// Opens the studies in the PostgreSQL database of `url`
    /// (`postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`), creating the tables if needed. Without
    /// a password in the URL, libpq takes it from `PGPASSWORD` or `~/.pgpass`. A server that does
    /// not answer fails the connection after `connect_timeout` seconds (a URL parameter; default
    /// 10). With `readOnly`, the tables must exist and nothing is written.
    public static func postgres(url: String, readOnly: Bool = false) throws -> SQLStorage {
        try SQLStorage(database: try PostgresDatabase(url: try PostgresURL(url)), readOnly: readOnly)
    }
}

/// One libpq connection to a PostgreSQL server, used by one caller at a time; it reconnects
/// when the connection was lost. Parameters travel as text.
final class PostgresDatabase: SQLDatabase {
    let location: String
    private let parameters: [String: String]
    private let connection: Mutex<OpaquePointer?>

    init(url: PostgresURL) throws {
        location = url.location
        parameters = url.connectionParameters()
        connection = Mutex(nil)
        try connection.withLock { $0 = try connect() }
    }

    deinit {
        connection.withLock { handle in
            if let handle { PQfinish(handle) }
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

    func hasTables() throws -> Bool {
        // The schema is created in one transaction, so its last table stands for all of them.
        try read { tx in !(try tx.rows("SELECT 1 WHERE to_regclass('counters') IS NOT NULL", []).isEmpty) }
    }

    func createTables() throws {
        try write { tx in
            // One creator at a time, however many workers start together; no notice per table
            // that already exists.
            try tx.rows("SELECT pg_advisory_xact_lock(7261)", [])
            try tx.rows("SET LOCAL client_min_messages = warning", [])
            for statement in Self.schema { try tx.rows(statement, []) }
        }
    }

    func write<T>(_ body: (any SQLTransaction) throws -> T) throws -> T {
        try transaction(begin: "BEGIN", body)
    }

    func read<T>(_ body: (any SQLTransaction) throws -> T) throws -> T {
        try transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// Runs one statement outside any transaction (`CREATE DATABASE` needs that).
    func execute(_ sql: String) throws {
        try connection.withLock { slot in
            _ = try PostgresTransaction(handle: try live(&slot), location: location).rows(sql, [])
        }
    }

    private func transaction<T>(begin: String, _ body: (any SQLTransaction) throws -> T) throws -> T {
        try connection.withLock { slot in
            let tx = PostgresTransaction(handle: try live(&slot), location: location)
            try tx.rows(begin, [])
            do {
                let result = try body(tx)
                try tx.rows(tx.rollsBack ? "ROLLBACK" : "COMMIT", [])
                return result
            } catch {
                _ = try? tx.rows("ROLLBACK", [])
                throw error
            }
        }
    }

    private func connect() throws -> OpaquePointer {
        let keywords = Array(parameters.keys), values = keywords.map { parameters[$0] }
        let cKeywords = keywords.map { strdup($0) }, cValues = values.map { $0.flatMap { strdup($0) } }
        defer { (cKeywords + cValues).forEach { free($0) } }
        let keywordPointers = cKeywords.map { UnsafePointer($0) } + [nil]
        let valuePointers = cValues.map { UnsafePointer($0) } + [nil]
        guard let handle = PQconnectdbParams(keywordPointers, valuePointers, 0) else {
            throw TuningError.storage("\(location): out of memory")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(handle)
            throw TuningError.storage("cannot connect to \(location): \(message)")
        }
        return handle
    }

    /// The connection, re-established if the server dropped it.
    private func live(_ slot: inout OpaquePointer?) throws -> OpaquePointer {
        if let handle = slot {
            if PQstatus(handle) == CONNECTION_OK { return handle }
            PQreset(handle)
            if PQstatus(handle) == CONNECTION_OK { return handle }
            PQfinish(handle)
            slot = nil
        }
        let handle = try connect()
        slot = handle
        return handle
    }
}

/// Statements on one libpq connection. `?` placeholders become PostgreSQL's `$1`, `$2`, ...
private final class PostgresTransaction: SQLTransaction {
    private let handle: OpaquePointer
    private let location: String
    private(set) var rollsBack = false

    init(handle: OpaquePointer, location: String) {
        self.handle = handle
        self.location = location
    }

    @discardableResult
    func rows(_ sql: String, _ arguments: [any SQLArgument]) throws -> [SQLRow] {
        let texts = arguments.map { Self.text($0.sqlValue) }
        let cStrings = texts.map { $0.flatMap { strdup($0) } }
        defer { cStrings.forEach { free($0) } }
        let values = cStrings.map { UnsafePointer<CChar>($0) }
        guard let result = PQexecParams(handle, Self.numberingPlaceholders(sql), Int32(values.count), nil, values, nil, nil, 0) else {
            throw TuningError.storage("\(location): out of memory")
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let message = String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
            throw TuningError.storage("\(location): \(message)")
        }
        let columns = PQnfields(result)
        return (0..<PQntuples(result)).map { row in
            SQLRow(values: (0..<columns).map { column in
                PQgetisnull(result, row, column) == 1 ? .null : .text(String(cString: PQgetvalue(result, row, column)))
            })
        }
    }

    func rollBackOnReturn() {
        rollsBack = true
    }

    private static func text(_ value: SQLValue) -> String? {
        switch value {
        case .null: return nil
        case let .integer(integer): return String(integer)
        case let .real(real): return "\(real)"
        case let .text(text): return text
        }
    }

    /// `sql` with its `?` placeholders numbered (`$1`, `$2`, ...); a `?` inside a quoted string
    /// or name stays as it is.
    static func numberingPlaceholders(_ sql: String) -> String {
        var result = "", quote: Character?, count = 0
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                count += 1
                result += "$\(count)"
            } else {
                result.append(character)
            }
        }
        return result
    }
}

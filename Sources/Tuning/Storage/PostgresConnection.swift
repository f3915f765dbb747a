import CLibPQ
import Foundation
import Synchronization

/// One libpq connection to a PostgreSQL server, used by one caller at a time; it reconnects
/// when the connection was lost. Parameters travel as text (`$1`, `$2`, ... in the SQL).
final class PostgresConnection: Sendable {
    /// The server and database, without the password.
    let location: String
    private let url: String
    private let connection: Mutex<OpaquePointer?>

    init(url: String) throws {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host
        else {
            throw TuningError.storage("expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, got \(url)")
        }
        self.url = url
        location = "postgres://\(components.user.map { "\($0)@" } ?? "")\(host):\(components.port ?? 5432)\(components.path)"
        connection = Mutex(nil)
        try connection.withLock { $0 = try connect() }
    }

    deinit {
        connection.withLock { handle in
            if let handle { PQfinish(handle) }
        }
    }

    private func connect() throws -> OpaquePointer {
        guard let handle = PQconnectdb(url) else { throw TuningError.storage("\(location): out of memory") }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(handle)
            throw TuningError.storage("cannot connect to \(location): \(message)")
        }
        return handle
    }

    /// Runs one statement outside any transaction (`CREATE DATABASE` needs that).
    func execute(_ sql: String, _ parameters: [any PostgresParameter] = []) throws {
        let texts = parameters.map(\.postgresText)
        try connection.withLock { slot in
            _ = try Transaction(handle: try live(&slot), location: location).run(sql, texts: texts)
        }
    }

    /// Runs `body` in a transaction (a repeatable-read, read-only one for `snapshot`), committed
    /// when `body` returns unless it rolled back, rolled back when it throws.
    func transaction<T>(snapshot: Bool = false, _ body: (Transaction) throws -> T) throws -> T {
        try connection.withLock { slot in
            let tx = Transaction(handle: try live(&slot), location: location)
            try tx.run(snapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN")
            do {
                let result = try body(tx)
                if !tx.rolledBack { try tx.run("COMMIT") }
                return result
            } catch {
                if !tx.rolledBack { _ = try? tx.run("ROLLBACK") }
                throw error
            }
        }
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

    /// Statements inside one transaction.
    final class Transaction {
        private let handle: OpaquePointer
        private let location: String
        private(set) var rolledBack = false

        fileprivate init(handle: OpaquePointer, location: String) {
            self.handle = handle
            self.location = location
        }

        /// Runs a statement and returns its rows (as text, `nil` for NULL).
        @discardableResult
        func run(_ sql: String, _ parameters: [any PostgresParameter] = []) throws -> [PostgresRow] {
            try run(sql, texts: parameters.map(\.postgresText))
        }

        fileprivate func run(_ sql: String, texts: [String?]) throws -> [PostgresRow] {
            let cStrings = texts.map { $0.flatMap { strdup($0) } }
            defer { cStrings.forEach { free($0) } }
            let values = cStrings.map { UnsafePointer<CChar>($0) }
            guard let result = PQexecParams(handle, sql, Int32(values.count), nil, values, nil, nil, 0) else {
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
                PostgresRow(values: (0..<columns).map { column in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                })
            }
        }

        func rollback() throws {
            try run("ROLLBACK")
            rolledBack = true
        }
    }
}

/// A value passed to a statement as text.
protocol PostgresParameter {
    var postgresText: String? { get }
}

extension Int: PostgresParameter { var postgresText: String? { String(self) } }
extension Int64: PostgresParameter { var postgresText: String? { String(self) } }
extension Double: PostgresParameter { var postgresText: String? { "\(self)" } }
extension String: PostgresParameter { var postgresText: String? { self } }
extension Optional: PostgresParameter where Wrapped: PostgresParameter {
    var postgresText: String? { self?.postgresText }
}

/// One result row, read column by column.
struct PostgresRow {
    let values: [String?]

    func int64(_ column: Int) throws -> Int64 {
        guard let text = values[column], let value = Int64(text) else { throw badValue(column, "an integer") }
        return value
    }

    func int(_ column: Int) throws -> Int { Int(try int64(column)) }

    func double(_ column: Int) throws -> Double? {
        guard let text = values[column] else { return nil }
        guard let value = Double(text) else { throw badValue(column, "a number") }
        return value
    }

    func string(_ column: Int) throws -> String {
        guard let text = values[column] else { throw badValue(column, "text") }
        return text
    }

    private func badValue(_ column: Int, _ expected: String) -> TuningError {
        .storage("column \(column) holds \(values[column].map { "'\($0)'" } ?? "NULL"), not \(expected)")
    }
}

/// A value bound to a placeholder or read from a result column.
enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// A Swift value that binds to a placeholder.
protocol SQLArgument {
    var sqlValue: SQLValue { get }
}

extension Int: SQLArgument { var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Int64: SQLArgument { var sqlValue: SQLValue { .integer(self) } }
extension Double: SQLArgument { var sqlValue: SQLValue { .real(self) } }
extension String: SQLArgument { var sqlValue: SQLValue { .text(self) } }
extension Optional: SQLArgument where Wrapped: SQLArgument {
    var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// One result row, read by column index. PostgreSQL returns every value as text, SQLite returns
/// typed values; the readers accept both.
struct SQLRow {
    let values: [SQLValue]

    func int64(_ column: Int) throws -> Int64 {
        switch try value(column) {
        case let .integer(value): return value
        case let .text(text): if let value = Int64(text) { return value }
        case .null, .real: break
        }
        throw badValue(column, "an integer")
    }

    func int(_ column: Int) throws -> Int {
        let value = try int64(column)
        guard let converted = Int(exactly: value) else { throw badValue(column, "an integer of this platform") }
        return converted
    }

    /// The number in a column, `nil` for NULL.
    func double(_ column: Int) throws -> Double? {
        switch try value(column) {
        case .null: return nil
        case let .real(value): return value
        case let .integer(value): return Double(value)
        case let .text(text): if let value = Double(text) { return value }
        }
        throw badValue(column, "a number")
    }

    func string(_ column: Int) throws -> String {
        guard case let .text(text) = try value(column) else { throw badValue(column, "text") }
        return text
    }

    private func value(_ column: Int) throws -> SQLValue {
        guard values.indices.contains(column) else {
            throw TuningError.storage("a row has \(values.count) columns, no column \(column)")
        }
        return values[column]
    }

    private func badValue(_ column: Int, _ expected: String) -> TuningError {
        .storage("column \(column) holds \(values[column]), not \(expected)")
    }
}

import Foundation
@testable import Tuning

/// The storages every storage test runs against.
/// (PostgreSQL only when `SWIFTTUNE_POSTGRES_URL` names a server.)
enum StorageKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case memory
    case sqlite
    case postgres

    /// The kinds this run can test.
    static var available: [StorageKind] {
        TestPostgres.url == nil ? [.memory, .sqlite] : allCases
    }

    var description: String { rawValue }

    func make() throws -> any Storage {
        switch self {
        case .memory: return InMemoryStorage()
        case .sqlite: return try SQLStorage.sqlite(path: temporaryDatabasePath())
        case .postgres: return try SQLStorage.postgres(url: try TestPostgres.freshDatabase())
        }
    }
}

/// A fresh path for an SQLite file in the temporary directory.
func temporaryDatabasePath(_ name: String = "tuning") -> String {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("\(name)-\(UUID().uuidString).db").path
}

/// A one-parameter space for storage and study tests.
let unitSpace = try! SearchSpace([.float("x", 0...1)])

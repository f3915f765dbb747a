import Foundation
@testable import Tuning

/// The PostgreSQL server the tests may use: `SWIFTTUNE_POSTGRES_URL`, as set by `scripts/test`
/// (`scripts/postgres-test-server start`). Without it the PostgreSQL cases are skipped.
enum TestPostgres {
    static let url = ProcessInfo.processInfo.environment["SWIFTTUNE_POSTGRES_URL"]

    /// The role that must log in with its password, which `scripts/postgres-test-server` makes.
    static let passwordUser = "tuning_password"
    static let password = "tuning-password-7f3a"

    /// Whether the server has `passwordUser` (the tests of password handling need it).
    static let hasPasswordUser: Bool = {
        guard let url, let database = try? PostgresDatabase(url: try PostgresURL(url)) else { return false }
        let rows = try? database.read { tx in try tx.rows("SELECT 1 FROM pg_roles WHERE rolname = ?", [passwordUser]) }
        return rows?.isEmpty == false
    }()

    /// A URL of a fresh, empty database on the test server.
    static func freshDatabase() throws -> String {
        try freshDatabase(owner: nil)
    }

    /// A URL, without the password, of a fresh, empty database that `passwordUser` owns.
    static func freshDatabaseOfPasswordUser() throws -> String {
        try freshDatabase(owner: passwordUser)
    }

    /// `url` with `password` in it.
    static func withPassword(_ url: String) throws -> String {
        guard var components = URLComponents(string: url) else { throw TuningError.storage("not a URL: \(url)") }
        components.password = password
        return components.string ?? url
    }

    private static func freshDatabase(owner: String?) throws -> String {
        guard let url, var components = URLComponents(string: url) else {
            throw TuningError.storage("SWIFTTUNE_POSTGRES_URL is not set")
        }
        let name = "tuning_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try PostgresDatabase(url: try PostgresURL(url)).execute("CREATE DATABASE \(name)" + (owner.map { " OWNER \($0)" } ?? ""))
        components.path = "/" + name
        if let owner { components.user = owner }
        return components.string ?? url
    }
}

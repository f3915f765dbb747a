import Foundation
@testable import Tuning

/// The PostgreSQL server the tests may use: `SWIFTTUNE_POSTGRES_URL`, as set by `scripts/test`
/// (`scripts/postgres-test-server start`). Without it the PostgreSQL cases are skipped.
enum TestPostgres {
    static let url = ProcessInfo.processInfo.environment["SWIFTTUNE_POSTGRES_URL"]

    /// A URL of a fresh, empty database on the test server.
    static func freshDatabase() throws -> String {
        guard let url, var components = URLComponents(string: url) else {
            throw TuningError.storage("SWIFTTUNE_POSTGRES_URL is not set")
        }
        let name = "tuning_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try PostgresDatabase(url: try PostgresURL(url)).execute("CREATE DATABASE \(name)")
        components.path = "/" + name
        return components.string ?? url
    }
}

import Foundation
import Testing
@testable import Tuning

/// How PostgreSQL URLs are read: no message shows a password, and connections time out.
@Suite struct PostgresURLTests {
    /// URLs that cannot be used, each with the password `s3cret` (or `s3@cret`) in it.
    static let malformed = [
        "postgres://alice:s3cret@[::1/studies",  // libpq's message repeats the whole URL
        "postgres://alice:s3%zzcret@localhost/studies",  // a bad escape, which libpq quotes
        "postgres://alice:s3cret@localhost/studies?no_such_option=1",
        "postgres://alice:s3cret@localhost:notaport/studies",
        "postgres://alice:s3@cret@localhost/studies",  // an unescaped '@' in the password
        "postgress://alice:s3cret@localhost/studies",  // not a storage URL at all
    ]

    @Test(arguments: malformed)
    func errorsAboutAURLNeverShowItsPassword(url: String) throws {
        let error = try #require(throws: TuningError.self) { try StorageURL.open(url) }
        let message = String(describing: error)
        #expect(!message.contains("s3") && !message.contains("cret"), "\(message)")
        #expect(message.contains("alice"), "the message should still say which URL: \(message)")
    }

    @Test func connectionsTimeOutAfterTenSecondsUnlessTheURLOrEnvironmentSaysOtherwise() throws {
        let plain = try PostgresURL("postgres://alice@localhost/studies")
        #expect(plain.connectionParameters(environment: [:])["connect_timeout"] == "10")
        #expect(plain.connectionParameters(environment: ["PGCONNECT_TIMEOUT": "3"])["connect_timeout"] == nil)
        let explicit = try PostgresURL("postgres://alice@localhost/studies?connect_timeout=2")
        #expect(explicit.connectionParameters(environment: ["PGCONNECT_TIMEOUT": "3"])["connect_timeout"] == "2")
    }

    /// Takes the default timeout (10 s) to pass; without a timeout it would hang until the time limit.
    @Test(.timeLimit(.minutes(1)))
    func aServerThatNeverAnswersFailsTheConnection() throws {
        let server = try SilentServer()
        let url = "postgres://alice@127.0.0.1:\(server.port)/studies"
        let error = try #require(throws: TuningError.self) { try StorageURL.open(url) }
        #expect(String(describing: error).contains("timeout"), "\(error)")
        #expect(String(describing: error).contains("127.0.0.1:\(server.port)/studies"), "\(error)")
    }
}

import Foundation
import TestSupport

/// Runs the `swifttune` executable built next to the test bundle (`swift build --build-tests`).
enum SwiftTuneCommand {
    static let path = WorkerProcessTests.executable
    static let isBuilt = FileManager.default.fileExists(atPath: path)

    /// Runs `swifttune` with `arguments`, in `directory`, with `environment` instead of this
    /// process's and as `user` (through runuser) when given, and returns its exit status and its
    /// output and errors together.
    @discardableResult
    static func run(
        _ arguments: [String], environment: [String: String]? = nil, in directory: URL? = nil, as user: String? = nil
    ) throws -> (status: Int32, output: String) {
        let (executable, all) = user.map { ("/usr/sbin/runuser", ["-u", $0, "--", path] + arguments) } ?? (path, arguments)
        let run = try ProcessRun(executable, all, environment: environment, in: directory)
        return (run.status, run.output)
    }

    /// This process's environment without any PostgreSQL password (`PGPASSWORD`, `PGPASSFILE`)
    /// and with an empty home folder (so no `~/.pgpass`), which it returns too.
    static func environmentWithoutPasswords() throws -> (environment: [String: String], home: URL) {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = nil
        environment["PGPASSFILE"] = nil
        environment["HOME"] = home.path
        return (environment, home)
    }
}

import Foundation
import Testing
@testable import Tuning

/// Whole `swifttune` processes sharing one study through SQLite or PostgreSQL.
@Suite(.serialized) struct WorkerProcessTests {
    /// The `swifttune` executable next to the test bundle (built by `swift build --build-tests`).
    static let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("swifttune").path

    static var storages: [String] {
        TestPostgres.url == nil ? ["sqlite"] : ["sqlite", "postgres"]
    }

    static func storageURL(_ kind: String) throws -> String {
        kind == "postgres" ? try TestPostgres.freshDatabase() : "sqlite:" + temporaryDatabasePath("workers")
    }

    /// Writes a study file and returns its path.
    static func studyFile(_ name: String, command: String, heartbeat: String = "") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).yaml").path
        try """
            name: \(name)
            seed: 3
            space:
              x: {type: float, low: 0, high: 1}
            sampler: {type: tpe, startup_trials: 5}
            objective:
              command: '\(command)'
              log_directory: \(FileManager.default.temporaryDirectory.appendingPathComponent("logs-\(UUID().uuidString)").path)
            \(heartbeat)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try SwiftTuneCommand.run(arguments)
    }


    @Test(.enabled(if: FileManager.default.fileExists(atPath: executable)), arguments: storages)
    func fourProcessesRunTwoHundredTrialsWithoutLossOrDuplicates(storage kind: String) throws {
        let url = try Self.storageURL(kind)
        let file = try Self.studyFile("four", command: "sleep 0.05; echo $SWIFTTUNE_PARAM_X")
        let (status, output) = try Self.run(["tune", file, "--storage", url, "--workers", "4", "--trials", "200", "--quiet"])
        #expect(status == 0, "\(output)")
        let study = try Study(loading: "four", storage: try StorageURL.open(url), sampler: RandomSampler(), heartbeat: .off)
        let trials = try study.trials()
        #expect(trials.map(\.number) == Array(0..<200))
        #expect(Set(trials.map(\.id)).count == 200)
        #expect(trials.allSatisfy { $0.state == .complete }, "\(trials.filter { $0.state != .complete }.map { ($0.number, $0.state, $0.failReason) })")
        #expect(trials.allSatisfy { $0.value == $0.params["x"]?.doubleValue })
        // The trials overlapped in time: the worker processes ran trials too, not only the first one.
        let busy = trials.compactMap(\.duration).reduce(0, +)
        let span = trials.compactMap(\.finishedAt).max()!.timeIntervalSince(trials.compactMap(\.startedAt).min()!)
        #expect(busy > 1.5 * span, "\(busy) s of trials in \(span) s")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: executable)), arguments: storages)
    func aKilledWorkersTrialIsFailedAndRequeued(storage kind: String) async throws {
        let url = try Self.storageURL(kind)
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("objective-\(UUID().uuidString).pid").path
        // Trial 0 hangs (and records the pid of its command); the others finish at once.
        let command = #"if [ "$SWIFTTUNE_TRIAL" = 0 ]; then echo $$ > \#(pidFile); exec sleep 60; fi; echo $SWIFTTUNE_PARAM_X"#
        let file = try Self.studyFile(
            "killed", command: command, heartbeat: "heartbeat: {interval_seconds: 0.2, grace_seconds: 1.5, requeue: true}")
        let victim = Process()
        victim.executableURL = URL(fileURLWithPath: Self.executable)
        victim.arguments = ["tune", file, "--storage", url, "--trials", "4", "--quiet"]
        victim.standardOutput = FileHandle.nullDevice
        try victim.run()
        // Wait until trial 0's command runs, then kill the worker (and the orphaned command).
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: pidFile) {
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(200))
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            kill(pid, SIGKILL)
        }
        let storage = try StorageURL.open(url)
        let study = try Study(loading: "killed", storage: storage, sampler: RandomSampler(), heartbeat: .off)
        #expect(try study.trials().first?.state == .running)

        try await Task.sleep(for: .seconds(2))
        let (status, output) = try Self.run(["worker", "--storage", url, "--study", "killed", "--trials", "4", "--quiet"])
        #expect(status == 0, "\(output)")
        let trials = try study.trials()
        #expect(trials[0].state == .fail)
        #expect(trials[0].failReason == TrialTransition.staleReason)
        let retry = try #require(trials.first { $0.userAttributes["retry_of"] == "0" })
        #expect(retry.state == .complete)
        #expect(retry.params == trials[0].params)
        #expect(trials.allSatisfy { $0.state != .running && $0.state != .waiting })
    }
}

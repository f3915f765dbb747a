import Foundation
import Testing
@testable import Tuning

/// Where a PostgreSQL password goes: never into a worker's arguments or a stored study file, and
/// libpq finds it in `PGPASSWORD` or `~/.pgpass` when the URL has none. (No message shows it:
/// `PostgresURLTests`.)
@Suite(.serialized) struct StoragePasswordTests {
    static let handOffs: [(url: String, argument: String, password: String?)] = [
        ("postgres://alice:p%40ss@db.example:5433/studies?sslmode=require", "postgres://alice@db.example:5433/studies?sslmode=require", "p@ss"),
        ("postgresql://alice@db.example/studies?password=pw&application_name=x", "postgresql://alice@db.example/studies?application_name=x", "pw"),
        ("postgres://alice@db.example/studies", "postgres://alice@db.example/studies", nil),
        ("sqlite:studies.db", "sqlite:studies.db", nil),
    ]

    @Test(arguments: handOffs)
    func aWorkerGetsThePasswordInItsEnvironmentNotItsArguments(url: String, argument: String, password: String?) throws {
        let handOff = try StorageURL.handOff(url)
        #expect(handOff.url == argument)
        #expect(handOff.environment == (password.map { ["PGPASSWORD": $0] } ?? [:]))
    }

    @Test func theStudyFileKeptWithTheStudyHasNoPassword() throws {
        let yaml = """
            name: kept
            storage: postgres://alice:s3cret@db.example:5433/studies
            space:
              x: {type: float, low: 0, high: 1}
            """
        let runner = try StudyRunner.start(yaml: yaml, storageURL: "sqlite:" + temporaryDatabasePath("kept"))
        let kept = try #require(try runner.study.storage.studyAttributes(study: runner.study.record.id)[StudyRunner.studyFileKey])
        #expect(!kept.contains("s3cret"), "\(kept)")
        #expect(try StudyFile(yaml: kept).storage == "postgres://alice@db.example:5433/studies")
    }

    @Test(.enabled(if: SwiftTuneCommand.isBuilt && TestPostgres.hasPasswordUser))
    func libpqFindsThePasswordInPGPASSWORDOrThePasswordFile() throws {
        let url = try TestPostgres.freshDatabaseOfPasswordUser()
        _ = try SQLStorage.postgres(url: try TestPostgres.withPassword(url))
            .createStudy(StudyDefinition(name: "found", direction: .minimize, seed: 0, space: unitSpace), at: Date())
        let (environment, home) = try SwiftTuneCommand.environmentWithoutPasswords()

        let refused = try SwiftTuneCommand.run(["studies", "--storage", url], environment: environment)
        #expect(refused.status != 0)
        #expect(refused.output.contains("\(TestPostgres.passwordUser)@127.0.0.1") && refused.output.contains("password"), "\(refused.output)")

        var withVariable = environment
        withVariable["PGPASSWORD"] = TestPostgres.password
        let fromVariable = try SwiftTuneCommand.run(["studies", "--storage", url], environment: withVariable)
        #expect(fromVariable.status == 0 && fromVariable.output.contains("found"), "\(fromVariable.output)")

        let passwordFile = home.appendingPathComponent(".pgpass")
        try "*:*:*:\(TestPostgres.passwordUser):\(TestPostgres.password)\n".write(to: passwordFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile.path)
        let fromFile = try SwiftTuneCommand.run(["studies", "--storage", url], environment: environment)
        #expect(fromFile.status == 0 && fromFile.output.contains("found"), "\(fromFile.output)")
    }

    @Test(.enabled(if: SwiftTuneCommand.isBuilt && TestPostgres.hasPasswordUser))
    func workerProcessesConnectWithoutThePasswordInTheirArguments() throws {
        let url = try TestPostgres.withPassword(try TestPostgres.freshDatabaseOfPasswordUser())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arguments-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = folder.appendingPathComponent("parents").path, workerRan = folder.appendingPathComponent("worker-ran").path
        // Each trial records the arguments of the swifttune process running it. The first
        // process's trials wait (up to a minute) until a worker process has run one.
        let command = [
            #"parent=$(tr "\000" " " < /proc/$PPID/cmdline); echo "$parent" >> \#(log)"#,
            #"if echo "$parent" | grep -q " worker "; then touch \#(workerRan)"#,
            #"else i=0; while [ ! -e \#(workerRan) ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; fi"#,
            "echo $SWIFTTUNE_PARAM_X",
        ].joined(separator: "; ")
        let file = try WorkerProcessTests.studyFile("arguments", command: command)
        let (environment, _) = try SwiftTuneCommand.environmentWithoutPasswords()
        let run = try SwiftTuneCommand.run(
            ["tune", file, "--storage", url, "--workers", "2", "--trials", "6", "--quiet"], environment: environment)
        #expect(run.status == 0, "\(run.output)")
        let workers = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").filter { $0.contains(" worker ") }
        #expect(!workers.isEmpty, "no worker process ran a trial")
        #expect(workers.allSatisfy { $0.contains("\(TestPostgres.passwordUser)@") && !$0.contains(TestPostgres.password) }, "\(workers)")
    }
}

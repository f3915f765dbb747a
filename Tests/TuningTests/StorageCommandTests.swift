import Foundation
import Testing
@testable import Tuning

/// What the `swifttune` commands do with storages: they say nothing about tables that exist.
@Suite(.serialized) struct StorageCommandTests {
    static let haveExecutable = FileManager.default.fileExists(atPath: WorkerProcessTests.executable)

    @Test(.enabled(if: haveExecutable && TestPostgres.url != nil))
    func postgresCommandsPrintNoNoticesAboutTablesThatExist() throws {
        let url = try TestPostgres.freshDatabase()
        let file = try WorkerProcessTests.studyFile("notices", command: "echo $SWIFTTUNE_PARAM_X")
        for trials in [2, 4] {  // the second run finds the tables made by the first
            let (status, output) = try WorkerProcessTests.run(["tune", file, "--storage", url, "--trials", String(trials), "--quiet"])
            #expect(status == 0, "\(output)")
            #expect(!output.contains("NOTICE"), "\(output)")
        }
    }
}

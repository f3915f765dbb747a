import Foundation
import Testing
@testable import Tuning

/// Storages opened read-only (as `studies`, `trials`, `best` and `report` open them) create and
/// write nothing, and read what they cannot write.
@Suite(.serialized) struct ReadOnlyStorageTests {
    static let definition = StudyDefinition(name: "kept", direction: .minimize, seed: 1, space: unitSpace)

    @Test(arguments: StorageKind.available.filter { $0 != .memory })
    func aReadOnlyStorageRefusesWrites(kind: StorageKind) throws {
        let url = kind == .postgres ? try TestPostgres.freshDatabase() : "sqlite:" + temporaryDatabasePath("read-only")
        let study = try StorageURL.open(url).createStudy(Self.definition, at: Date())
        let storage = try StorageURL.open(url, readOnly: true)
        #expect(try storage.studies().map(\.name) == ["kept"])
        let error = try #require(throws: TuningError.self) {
            try storage.createTrial(study: study.id, state: .running, params: [:], userAttributes: [:], limit: nil, at: Date())
        }
        #expect(String(describing: error).contains("read-only"), "\(error)")
    }

    @Test(.enabled(if: TestPostgres.url != nil))
    func readingAPostgresDatabaseWithoutStudiesCreatesNoTables() throws {
        let url = try TestPostgres.freshDatabase()
        for _ in 0..<2 {  // the second attempt would find tables that the first had created
            let error = try #require(throws: TuningError.self) { try StorageURL.open(url, readOnly: true) }
            #expect(String(describing: error).contains("holds no studies"), "\(error)")
        }
    }

    @Test(.enabled(if: SwiftTuneCommand.isBuilt), arguments: [["studies"], ["trials"], ["best"], ["report"]])
    func aMistypedSQLitePathIsAnErrorThatNamesIt(command: [String]) throws {
        let folder = try Self.temporaryFolder("mistyped")
        let path = folder.appendingPathComponent("studeis.db").path
        let run = try SwiftTuneCommand.run(command + ["--storage", "sqlite:" + path], in: folder)
        #expect(run.status != 0)
        #expect(run.output.contains(path), "\(run.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "the command created a file")
    }

    /// The database is in a folder the reading user cannot write (as root, the test reads as
    /// `nobody`; otherwise it takes away its own write permission).
    @Test(.enabled(if: SwiftTuneCommand.isBuilt))
    func aDatabaseTheUserCannotWriteCanBeRead() throws {
        let folder = try Self.temporaryFolder("unwritable")
        let path = folder.appendingPathComponent("studies.db").path
        do {
            let study = try Study(name: "archived", space: unitSpace, storage: try SQLStorage.sqlite(path: path), heartbeat: .off)
            let trial = try #require(try study.ask())
            try study.tell(trial, .complete(0.5))
        }
        let asRoot = getuid() == 0
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
        for command in [["studies"], ["best"]] {
            let arguments = command + ["--storage", "sqlite:" + path]
            let run = asRoot
                ? try SwiftTuneCommand.run(arguments, in: URL(fileURLWithPath: "/"), as: "nobody")
                : try SwiftTuneCommand.run(arguments)
            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.contains(command == ["studies"] ? "archived" : "value 0.5"), "\(run.output)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["studies.db"])
    }

    private static func temporaryFolder(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

import Foundation
import SwiftTuneOptions
import Testing
import Tuning

@Suite struct StudyOptionsTests {
    @Test func theStorageIsRequired() {
        #expect(parsedMessage(StudyOptions.self, []) == "Missing expected argument '--storage <storage>'")
        #expect(parsedMessage(StudyOptions.self, ["--storage", "sqlite:x.db", "--study"]) == "Missing value for '--study <study>'")
    }

    @Test func aStorageOfSeveralStudiesNeedsTheStudyNamed() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("swifttune-options-\(UUID().uuidString).db").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        for name in ["a", "b"] {
            _ = try StudyRunner.start(yaml: "name: \(name)\nspace: {x: 1}\n", storageURL: "sqlite:\(path)")
        }
        let options = try StudyOptions.parse(["--storage", "sqlite:\(path)"])
        #expect {
            try options.open()
        } throws: { error in
            StudyOptions.message(for: error) == "the storage holds 2 studies (a, b); pick one with --study"
        }
        #expect(try StudyOptions.parse(["--storage", "sqlite:\(path)", "--study", "b"]).open().name == "b")
    }
}

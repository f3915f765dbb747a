import Foundation
import Testing
@testable import Tuning

/// Files named after a study stay in the current folder, whatever the study's name.
@Suite struct StudyFileNameTests {
    @Test func namesBecomeOneFileName() {
        #expect(FileNames.safe("digits-mlp v2.1") == "digits-mlp v2.1")
        #expect(FileNames.safe("../../x") == ".._.._x")
        #expect(FileNames.safe("/etc/passwd") == "_etc_passwd")
        #expect(FileNames.safe("a\\b\nc") == "a_b_c")
        #expect(StorageURL.defaultURL(forStudy: "../../x") == "sqlite:.._.._x.db")
    }

    @Test(.enabled(if: SwiftTuneCommand.isBuilt))
    func theReportOfAStudyNamedWithDotsAndSlashesIsWrittenHere() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        let here = root.appendingPathComponent("a/b/here")
        try FileManager.default.createDirectory(at: here, withIntermediateDirectories: true)
        let path = root.appendingPathComponent("studies.db").path
        let study = try Study(name: "../../x", space: unitSpace, storage: try SQLStorage.sqlite(path: path), heartbeat: .off)
        try study.tell(try #require(try study.ask()), .complete(0.5))

        let run = try SwiftTuneCommand.run(["report", "--storage", "sqlite:" + path], in: here)
        #expect(run.status == 0, "\(run.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: here.path) == [".._.._x-report.html"])
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("a/x-report.html").path))
    }
}

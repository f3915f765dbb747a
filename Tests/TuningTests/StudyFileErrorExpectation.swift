import Testing
@testable import Tuning

/// Expects `yaml` to be refused as a study file with an error at `key` on `line`.
func expectStudyFileError(_ yaml: String, key: String, line: Int) {
    do {
        _ = try StudyFile(yaml: yaml)
        Issue.record("accepted:\n\(yaml)")
    } catch let TuningError.studyFile(error) {
        #expect(error.key == key, "\(error)")
        #expect(error.line == line, "\(error)")
    } catch {
        Issue.record("unexpected \(error)")
    }
}

import Foundation
import TestSupport
import Testing
import Tuning

/// Mutated study files (fixed seed): each case is a study or an error with a message, never a
/// trap or a hang, and nothing is written. Parsing only; no trial runs.
@Suite struct StudyFileFuzzTests {
    static let cases = FuzzInputs.caseCount(700)

    @Test func mutatedStudyFilesParseOrExplain() throws {
        let before = FuzzInputs.repositorySnapshot()
        let candidates = try FuzzInputs.examples(["branin-study.yaml", "digits-study.yaml", "digits-study-pruned.yaml", "mlp-study.yaml"])
            + FuzzInputs.documentationBlocks()
        let seeds = candidates.filter { (try? StudyFile(yaml: $0.text)) != nil }.map { Array($0.text.utf8) }
        #expect(seeds.count >= 5, "only \(seeds.count) study files parse unmutated")
        var mutator = Mutator(seed: 0x7374_7564_79)
        var outcomes = (parsed: 0, errors: 0)
        for number in 0..<Self.cases {
            let seed = mutator.pick(seeds)
            let mutated = number % 2 == 0 ? mutator.replacingNumber(in: seed) : mutator.mutate(seed)
            do {
                let study = try StudyFile(yaml: String(decoding: mutated, as: UTF8.self))
                try study.sampler.validate(for: study.space)
                outcomes.parsed += 1
            } catch {
                outcomes.errors += 1
                #expect(!"\(error)".isEmpty, "case \(number): an error without a message: \(type(of: error))")
            }
        }
        #expect(outcomes.parsed > 0 && outcomes.errors > 0, "\(outcomes)")
        #expect(FuzzInputs.repositorySnapshot() == before, "a case wrote into the repository")
    }
}

import Foundation
import Testing
import Tuning

/// Study files with sizes meant to overflow, hang or exhaust memory: each is an error that says
/// what is wrong (or, where the sizes are merely large, a study), found by the fuzz tests.
@Suite struct HostileStudyFileTests {
    /// Reads a study with `space` and `extra` settings and validates its sampler, as `tune` does.
    static func study(space: String, extra: String = "") throws -> StudyFile {
        let study = try StudyFile(yaml: "name: hostile\nspace:\n  \(space)\n\(extra)")
        try study.sampler.validate(for: study.space)
        return study
    }

    @Test(arguments: [
        ("x: {type: int, low: -9223372036854775808, high: 32}", "", "-9223372036854775808...32 holds more than 2^53 values"),
        ("x: {type: int, low: 0, high: 9223372036854775807}", "", "0...9223372036854775807 holds more than 2^53 values"),
        ("x: {type: float, low: 0, high: 1, step: 1.0e-300}", "", "step 1e-300 cuts 0.0...1.0 into more than 2^53 values"),
        ("x: {type: int, low: 0, high: 1000000000000}", "sampler: {type: grid}",
         "parameter 'x' alone has more than 1000000 grid points"),
        ("x: {type: float, low: 0, high: 1}", "pruner: {type: hyperband, max_resource: 10, reduction_factor: 1}",
         "needs minimum resource ≥ 1 (got 1) and reduction factor ≥ 2 (got 1)"),
        ("x: {type: float, low: 0, high: 1}", "pruner: {type: hyperband, min_resource: 0, max_resource: 10}",
         "needs minimum resource ≥ 1 (got 0) and reduction factor ≥ 2 (got 3)"),
    ])
    func hostileSizesAreExplained(space: String, extra: String, message: String) {
        do {
            _ = try Self.study(space: space, extra: extra)
            Issue.record("read without an error")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    @Test func aHyperbandUpToIntMaxCountsItsBracketsWithoutOverflow() throws {
        let study = try Self.study(
            space: "x: {type: float, low: 0, high: 1}",
            extra: "pruner: {type: hyperband, max_resource: 9223372036854775807, reduction_factor: 3}")
        let hyperband = try #require(study.pruner as? HyperbandPruner)
        // 3^39 ≤ Int.max < 3^40: rungs 3^0 ... 3^39.
        #expect(hyperband.bracketCount == 40)
    }
}

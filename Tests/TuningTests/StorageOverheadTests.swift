import Foundation
import Testing
@testable import Tuning

/// The storage's cost per trial must not grow with the study (Optuna's RDB storage does, its
/// issue #3053). Runs `SWIFTTUNE_OVERHEAD_TRIALS` trials (default 2,000) on SQLite: ask, three
/// intermediate reports, tell, and compares the time per trial early and late.
@Suite struct StorageOverheadTests {
    @Test func perTrialCostStaysFlatOnSQLite() async throws {
        let total = ProcessInfo.processInfo.environment["SWIFTTUNE_OVERHEAD_TRIALS"].flatMap(Int.init) ?? 2000
        let block = 100
        let study = try Study(
            name: "overhead", space: braninSpace, storage: try SQLiteStorage(path: temporaryDatabasePath("overhead")),
            sampler: RandomSampler())
        var blockTimes: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<(total / block) {
            let start = clock.now
            for _ in 0..<block {
                let trial = try #require(try study.ask())
                for step in 1...3 { try trial.report(Double(step), step: step) }
                try study.tell(trial, .complete(branin(try trial.double("x"), try trial.double("y"))))
            }
            let elapsed = clock.now - start
            blockTimes.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        let early = median(Array(blockTimes.prefix(3))) / Double(block)
        let late = median(Array(blockTimes.suffix(3))) / Double(block)
        print("SQLite per-trial cost: trials 1-\(3 * block): \(String(format: "%.3f", early * 1000)) ms, "
              + "last \(3 * block) of \(total): \(String(format: "%.3f", late * 1000)) ms")
        if ProcessInfo.processInfo.environment["SWIFTTUNE_OVERHEAD_TRIALS"] != nil {
            print("ms per trial by block of \(block):", blockTimes.map { String(format: "%.2f", $0 * 1000 / Double(block)) }.joined(separator: " "))
        }
        #expect(try study.trials().count == total)
        #expect(late < 2.5 * early, "per-trial cost grew from \(early * 1000) ms to \(late * 1000) ms")
    }
}

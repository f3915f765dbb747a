import Foundation
import Testing
@testable import Tuning

/// The storage's cost per trial must not grow with the study (Optuna's RDB storage does, its
/// issue #3053). Runs `SWIFTTUNE_OVERHEAD_TRIALS` trials (default 2,000) on SQLite: ask, three
/// intermediate reports, tell, and compares the processor time per trial early and late
/// (processor time rather than wall time, which the load of a shared machine blurs).
@Suite struct StorageOverheadTests {
    @Test func perTrialCostStaysFlatOnSQLite() async throws {
        let total = ProcessInfo.processInfo.environment["SWIFTTUNE_OVERHEAD_TRIALS"].flatMap(Int.init) ?? 2000
        let block = 100
        let study = try Study(
            name: "overhead", space: braninSpace, storage: try SQLiteStorage(path: temporaryDatabasePath("overhead")),
            sampler: RandomSampler())
        var blockTimes: [Double] = []
        for _ in 0..<(total / block) {
            let start = Self.processorTime()
            for _ in 0..<block {
                let trial = try #require(try study.ask())
                for step in 1...3 { try trial.report(Double(step), step: step) }
                try study.tell(trial, .complete(branin(try trial.double("x"), try trial.double("y"))))
            }
            blockTimes.append(Self.processorTime() - start)
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

    /// Seconds of processor time this process has used (all threads).
    static func processorTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}

import Dispatch
import Foundation
import Tuning

/// The tuning layer's cost per trial as a study grows: one study of `trials` trials in a fresh
/// storage, each trial doing what a training trial does apart from training (ask with a random
/// sampler, `reportsPerTrial` intermediate values each followed by a pruning check, tell). The
/// goal is a flat cost from the first trial to the last; Optuna's RDB storage grows with the
/// study (its issue #3053).
///
/// Trials are timed one by one and grouped in blocks of `blockSize`. A row reports a block: the
/// median milliseconds of its trials (robust to the noise of a shared machine) and its trials per
/// second (its mean, which counts the rare slow trial too, e.g. a WAL checkpoint).
public struct StorageOverheadBenchmark: Sendable {
    /// Trials in the study.
    public var trials: Int
    /// Trials per block (one row each at most).
    public var blockSize: Int
    /// Intermediate values (and pruning checks) per trial.
    public var reportsPerTrial: Int
    /// Rows are the first block, the last, and every block that contains a multiple of this many
    /// trials.
    public var rowEvery: Int

    public init(trials: Int = 10_000, blockSize: Int = 100, reportsPerTrial: Int = 3, rowEvery: Int = 1000) {
        self.trials = trials
        self.blockSize = blockSize
        self.reportsPerTrial = reportsPerTrial
        self.rowEvery = rowEvery
    }

    /// One measured block.
    public struct Block: Sendable {
        /// The first and last trial of the block, counting from 1.
        public var trials: ClosedRange<Int>
        /// Milliseconds per trial, in trial order.
        public var milliseconds: [Double]

        /// The median milliseconds of the block's trials.
        public var medianMilliseconds: Double { BenchmarkTiming.median(milliseconds) }

        /// Trials per second over the whole block.
        public var trialsPerSecond: Double { Double(milliseconds.count) * 1000 / milliseconds.reduce(0, +) }
    }

    /// Runs the study in `storage` (`storageName` names it in the rows), reporting each row's
    /// block as it is measured, and returns every block.
    @discardableResult
    public func run(storage: any Storage, storageName: String, report: (BenchmarkRow) -> Void) throws -> [Block] {
        guard trials >= 1, blockSize >= 1, reportsPerTrial >= 1, rowEvery >= 1 else {
            throw TuningError.invalidSettings(
                component: "storage benchmark", reason: "trials, block size, reports per trial and row spacing must be at least 1")
        }
        let space = try SearchSpace([.float("x", -5...10), .float("y", 0...15)])
        let study = try Study(
            name: "storage-overhead-\(UUID().uuidString)", space: space, storage: storage, sampler: RandomSampler())
        var blocks: [Block] = []
        var times: [Double] = []
        for number in 1...trials {
            let start = DispatchTime.now().uptimeNanoseconds
            try runTrial(in: study)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            guard times.count == blockSize || number == trials else { continue }
            let block = Block(trials: (number - times.count + 1)...number, milliseconds: times)
            blocks.append(block)
            times = []
            if blocks.count == 1 || number == trials || number % rowEvery < blockSize {
                report(row(block, storageName: storageName))
            }
        }
        return blocks
    }

    /// The early and late cost side by side: the median of the block medians over the first and
    /// the last tenth of the blocks (at least one each, at most half), and their ratio. Nil with
    /// fewer than two blocks.
    public static func summary(of blocks: [Block]) -> String? {
        let count = min(max(blocks.count / 10, 1), blocks.count / 2)
        guard count >= 1 else { return nil }
        let first = blocks.prefix(count), last = blocks.suffix(count)
        let early = BenchmarkTiming.median(first.map(\.medianMilliseconds))
        let late = BenchmarkTiming.median(last.map(\.medianMilliseconds))
        return String(
            format: "ms per trial (median of block medians): trials %d-%d %.3f, trials %d-%d %.3f; last / first %.2f",
            first.first?.trials.lowerBound ?? 0, first.last?.trials.upperBound ?? 0, early,
            last.first?.trials.lowerBound ?? 0, last.last?.trials.upperBound ?? 0, late, late / early)
    }

    /// One trial's storage work: ask, report and check, tell.
    private func runTrial(in study: Study) throws {
        guard let trial = try study.ask() else {
            throw TuningError.storage("the study gave no trial to run")
        }
        let x = try trial.double("x"), y = try trial.double("y")
        for step in 1...reportsPerTrial {
            try trial.report(x * x + y / Double(step), step: step)
            _ = try trial.shouldPrune()
        }
        try study.tell(trial, .complete(x * x + y))
    }

    private func row(_ block: Block, storageName: String) -> BenchmarkRow {
        BenchmarkRow(
            benchmark: "storage", size: "trials \(block.trials.lowerBound)-\(block.trials.upperBound)", path: storageName,
            device: "host", medianMilliseconds: block.medianMilliseconds, rate: block.trialsPerSecond, unit: "trials/s")
    }
}

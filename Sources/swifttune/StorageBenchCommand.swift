import ArgumentParser
import Foundation
import SwiftTuneBenchmarks
import SwiftTuneOptions
import Tuning

struct StorageBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage",
        abstract: "Measure the tuning storage's cost per trial from the first trial of a study to the last.",
        discussion: """
            Runs one study of --trials trials in a fresh storage (an SQLite file in the temporary \
            folder unless --storage names one). Each trial asks a random sampler for a point, \
            reports --reports intermediate values with a pruning check after each, and is told \
            complete: a training trial's work on the storage, without training. Trials are timed \
            one by one; a row reports a block of --block trials (the first, the last, and one per \
            --every trials): the median milliseconds per trial and trials per second. The goal is \
            a flat cost (Optuna's RDB storage grows with the study). The last line compares the first and \
            the last tenth of the study (the median of their blocks' medians).

            Examples:
              swifttune bench storage
              swifttune bench storage --trials 2000 --storage postgres://tune@localhost/bench
            """)

    @Option(name: .long, help: "Trials in the study.")
    var trials = 10_000

    @Option(name: .long, help: "Trials per block.")
    var block = 100

    @Option(name: .long, help: "Print the block that reaches each multiple of this many trials.")
    var every = 1000

    @Option(name: .long, help: "Intermediate values (and pruning checks) per trial.")
    var reports = 3

    @Option(name: .long, help: "Storage URL (sqlite:PATH, memory:, postgres://...); default: a fresh SQLite file, deleted afterwards.")
    var storage: String?

    @Flag(name: .long, help: "Print one JSON object per row instead of a table.")
    var json = false

    func validate() throws {
        guard trials >= 1, block >= 1, every >= 1, reports >= 1 else {
            throw ValidationError("--trials, --block, --every and --reports must be at least 1")
        }
    }

    func run() throws {
        let temporary = storage == nil
            ? FileManager.default.temporaryDirectory.appendingPathComponent("swifttune-bench-storage-\(UUID().uuidString).db").path
            : nil
        defer {
            if let temporary {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
            }
        }
        let url = storage ?? "sqlite:\(temporary ?? "")"
        let opened: any Storage
        do {
            opened = try StorageURL.open(url)
        } catch let error as TuningError {
            throw error.validation
        }
        let printer = BenchmarkPrinter(format: json ? .json : .table)
        printer.printHeader()
        let benchmark = StorageOverheadBenchmark(trials: trials, blockSize: block, reportsPerTrial: reports, rowEvery: every)
        let name = storage.map { $0.hasPrefix("postgres") ? "postgres" : $0 == "memory:" ? "memory" : "sqlite" } ?? "sqlite"
        let blocks = try benchmark.run(storage: opened, storageName: name, report: printer.print)
        if !json, let summary = StorageOverheadBenchmark.summary(of: blocks) {
            print(summary)
        }
    }
}

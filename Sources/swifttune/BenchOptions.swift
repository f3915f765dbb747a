import ArgumentParser
import SwiftTuneBenchmarks

/// The flags every `bench` verb shares: output format and how often each row is measured.
struct BenchOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON object per measured row (the table's fields) instead of a table.")
    var json = false

    @Option(name: .long, help: ArgumentHelp(
        "Timed runs per row at most, after the warm-up runs; the median is reported.",
        discussion: "A row stops early, after 3 runs, once its runs have taken 3 seconds."))
    var repeats = 10

    @Option(name: .long, help: "Untimed warm-up runs per row (kernel compilation, caches, pools).")
    var warmups = 2

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        guard warmups >= 0 else { throw ValidationError("--warmups must not be negative") }
    }

    var timing: BenchmarkTiming { BenchmarkTiming(warmups: warmups, repeats: repeats) }

    /// A printer for the chosen format, its table header already printed.
    func printer() -> BenchmarkPrinter {
        let printer = BenchmarkPrinter(format: json ? .json : .table)
        printer.printHeader()
        return printer
    }
}

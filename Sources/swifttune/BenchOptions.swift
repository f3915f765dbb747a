import ArgumentParser
import Backend
import SwiftTuneBenchmarks

/// The flags every `bench` verb shares: which devices, output format, and how often each row runs.
struct BenchOptions: ParsableArguments {
    @Option(name: .long, help: "cpu, opencl, opencl:N or auto (default: every device).")
    var device: String?

    @Flag(name: .long, help: "Print one JSON object per measured row (the table's fields) instead of a table.")
    var json = false

    @Option(name: .long, help: """
        Timed runs per row at most; the median is reported. A row stops after 3 runs once its \
        runs have taken 3 s.
        """)
    var repeats = 10

    @Option(name: .long, help: "Untimed warm-up runs per row (kernel compilation, caches, pools).")
    var warmups = 2

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        guard warmups >= 0 else { throw ValidationError("--warmups must not be negative") }
    }

    /// The device named by --device, or every device of this machine.
    func devices() throws -> [any Device] {
        guard let device else { return DeviceSelector.availableDevices() }
        do {
            return [try DeviceSelector(parsing: device).open()]
        } catch let error as BackendError {
            throw ValidationError(error.description)
        }
    }

    var timing: BenchmarkTiming { BenchmarkTiming(warmups: warmups, repeats: repeats) }

    /// A printer for the chosen format, its table header already printed.
    func printer() -> BenchmarkPrinter {
        let printer = BenchmarkPrinter(format: json ? .json : .table)
        printer.printHeader()
        return printer
    }
}

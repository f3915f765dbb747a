import ArgumentParser
import Backend
import Foundation
import SwiftTuneBenchmarks

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the backend's ops, whole training steps and the tuning storage.",
        discussion: "Build with -c release for meaningful numbers: swift run -c release swifttune bench gemm",
        subcommands: [
            GemmBenchCommand.self, ConvBenchCommand.self, AdamBenchCommand.self, TrainBenchCommand.self, StorageBenchCommand.self,
            SamplerBenchCommand.self,
            ImagesBenchCommand.self, ModelBenchCommand.self, ModelCheckCommand.self,
        ])
}

struct GemmBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "Measure square GEMMs (C = A·B, n × n × n) on every GEMM path.",
        discussion: """
            Each row is one size on one path: the CPU path (cpu: Swift, its GEMM kernels in C) on the CPU device, CLBlast \
            (clblast) and SwiftTune's own kernel (kernel) on each OpenCL device. Rows report the \
            median milliseconds of the timed runs and GFLOP/s (2·n³ / time).

            Examples:
              swifttune bench gemm --device cpu
              swifttune bench gemm --sizes 512,1024 --json
            """)

    @Option(name: .long, help: ArgumentHelp(
        "Comma-separated matrix sizes n (default: 256,512,1024,2048).", valueName: "n,n,..."),
        transform: GemmBenchCommand.parseSizes)
    var sizes: [Int] = GemmBenchmark.defaultSizes

    @OptionGroup var options: BenchOptions

    static func parseSizes(_ text: String) throws -> [Int] {
        let sizes = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--sizes takes positive integers separated by commas, e.g. 256,512,1024")
        }
        return sizes.compactMap { $0 }
    }

    func run() throws {
        let devices = try options.devices()
        let printer = options.printer()
        try GemmBenchmark(sizes: sizes, timing: options.timing).run(on: devices, report: printer.print)
    }
}

struct AdamBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adam",
        abstract: "Measure the fused Adam update on 10^6 and 10^7 parameters.",
        discussion: """
            Rows report GB/s against the 28 bytes one update must move per parameter (read \
            parameter, gradient and both moments; write parameter and both moments). The memory \
            rows measure this machine's bandwidth (a triad and an in-place update over 128 MiB \
            arrays), and the last rows give each CPU Adam rate as a percentage of it.
            """)

    @OptionGroup var options: BenchOptions

    func run() throws {
        let printer = options.printer()
        for row in try AdamBenchmark.report(devices: options.devices(), timing: options.timing) {
            printer.print(row)
        }
    }
}

import ArgumentParser
import Backend
import Foundation
import SwiftTuneBenchmarks

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the backend's ops.",
        discussion: "Build with -c release for meaningful numbers: swift run -c release swifttune bench gemm",
        subcommands: [GemmBenchCommand.self, ConvBenchCommand.self])
}

struct GemmBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "Measure square GEMMs (C = A·B, n × n × n) on every GEMM path.",
        discussion: """
            Each row is one size on one path: the pure-Swift path (cpu) on the CPU device, CLBlast \
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
        try GemmBenchmark(sizes: sizes, timing: options.timing).run(
            on: devices, report: printer.print,
            skipped: { FileHandle.standardError.write(Data("bench gemm: \($0)\n".utf8)) })
    }
}

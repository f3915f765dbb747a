import ArgumentParser
import SwiftTuneBenchmarks

struct ConvBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conv",
        abstract: "Measure a 3×3 convolution layer (batch 64, 28×28, 32 → 64 channels, padding 1) on every device.",
        discussion: """
            Rows: the forward pass (with bias), the input gradient, the weight and bias gradients, \
            and all of them in a row (forward+backward, one training step's share of the layer). \
            Each reports the median milliseconds of the timed runs and GFLOP/s (each pass counts \
            2·N·K·C·R·S·P·Q). Rows name the device's GEMM path (SWIFTTUNE_GEMM picks it on OpenCL).

            Examples:
              swifttune bench conv --device cpu
              swifttune bench conv --json
            """)

    @OptionGroup var options: BenchOptions

    func run() throws {
        let devices = try options.devices()
        let printer = options.printer()
        try ConvBenchmark(timing: options.timing).run(on: devices, report: printer.print)
    }
}

import ArgumentParser
import Foundation
import SwiftTuneBenchmarks

struct TrainBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Measure whole training steps (forward, loss, backward, Adam) of an MLP and a CNN.",
        discussion: """
            mlp: Dense 784→512→256→10 with ReLU, batch 128. cnn: Conv 3×3 1→32, max pool, \
            Conv 3×3 32→64, max pool, Dense 3136→128→10, batch 64. Inputs are one random batch \
            of 28×28 images already on the device, so rows measure the step, not data loading. \
            Rows report the median milliseconds per step and samples per second of the step \
            Trainer.fit runs (TrainingStep), and what a step of Trainer.fit asks of the device in \
            steady state: kernel launches (OpenCL), host synchronizations and bytes uploaded and \
            downloaded, measured over one-epoch fits of 8 and 16 batches, with the waits of a \
            whole 8-batch epoch. Each row ends with the peak device memory of one warm step: bytes \
            in live tensors (and the resident part: parameters, Adam state, the batch, the last \
            step's gradients) and bytes the buffer pool held, cached free buffers included. \
            scripts/compare-train runs the same steps with PyTorch for the ratio and its peak memory.

            Examples:
              swifttune bench train --device cpu
              swifttune bench train --models mlp --json
              swifttune bench train --models cnn --profile --device opencl:0
            """)

    @Option(name: .long, help: ArgumentHelp("Comma-separated models: mlp, cnn (default: both).", valueName: "m,m"),
            transform: TrainBenchCommand.parseModels)
    var models: [TrainingStepBenchmark.Model] = TrainingStepBenchmark.Model.allCases

    @Flag(name: .long, help: """
        After each model's row, time every op of its step on its own (same calls and shapes): \
        one row per op with its share of the ops' sum, and the sum.
        """)
    var profile = false

    @OptionGroup var options: BenchOptions

    static func parseModels(_ text: String) throws -> [TrainingStepBenchmark.Model] {
        try text.split(separator: ",").map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let model = TrainingStepBenchmark.Model(rawValue: trimmed) else {
                throw ValidationError("unknown model '\(trimmed)' in --models; the models are mlp and cnn")
            }
            return model
        }
    }

    func run() throws {
        let devices = try options.devices()
        let printer = options.printer()
        try TrainingStepBenchmark(models: models, timing: options.timing, profile: profile)
            .run(on: devices, report: printer.print)
    }
}

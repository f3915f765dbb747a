import ArgumentParser
import Foundation
import SwiftTuneBenchmarks
import SwiftTuneOptions
import Training

struct ModelBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Measure whole training steps of the model of a training description.",
        discussion: """
            One step is forward, cross-entropy, backward and SGD with momentum 0.9 on one random \
            batch already on the device (token ids below the vocabulary for a model that starts \
            with an embedding). Rows report the median milliseconds per step, samples \
            per second and the peak device memory of one warm step (also in --json rows). scripts/compare-models --bench runs the same step with PyTorch for the ratio.

            Examples:
              swifttune bench model examples/resnet18.yaml --batch-size 64 --device cpu
              swifttune bench model examples/vgg11-bn.yaml --sample-shape 3,32,32 --classes 10 --json
            """)

    @Argument(help: "The training description (YAML).")
    var file: String

    @Option(name: .customLong("batch-size"), help: "Samples per step.")
    var batchSize = 64

    @Option(name: .customLong("sample-shape"), help: ArgumentHelp(
        "The shape of one sample, e.g. 3,32,32 (default: the description's data).", valueName: "d,d,..."))
    var sampleShape: String?

    @Option(name: .long, help: "Classes of the random labels (default: the description's data).")
    var classes: Int?

    @OptionGroup var options: BenchOptions

    func run() throws {
        let description = try TrainingDescription.load(URL(fileURLWithPath: file))
        var shape = try sampleShape.map(Self.parseShape)
        var classCount = classes
        if shape == nil || classCount == nil {
            let data = try description.data.prepare(seed: description.seed, baseFolder: description.baseFolder)
            shape = shape ?? data.train.featureShape
            classCount = classCount ?? max(data.train.classCount, 1)
        }
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let benchmark = DescribedModelBenchmark(
            description: description, name: name, sampleShape: shape ?? [], batchSize: batchSize, classes: classCount ?? 1,
            timing: options.timing)
        let devices = try options.devices()
        let printer = options.printer()
        try benchmark.run(on: devices, report: printer.print)
    }

    static func parseShape(_ text: String) throws -> [Int] {
        let sizes = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--sample-shape takes positive sizes separated by commas, e.g. 3,32,32")
        }
        return sizes.compactMap { $0 }
    }
}

/// SwiftTune's side of `scripts/compare-models`: loads a PyTorch state dict into a described
/// model, runs it on a given batch and writes what the script compares (`ModelComparison`).
struct ModelCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model-check",
        abstract: "Run a described model from PyTorch weights on one batch and write its outputs, gradients and losses.",
        shouldDisplay: false)

    @Argument(help: "The training description (YAML).")
    var file: String

    @Option(name: .long, help: "The PyTorch state dict (safetensors).")
    var weights: String

    @Option(name: .long, help: "Safetensors with 'inputs' and 'targets'.")
    var batch: String

    @Option(name: .long, help: "Where to write the results (safetensors).")
    var output: String

    @Option(name: .long, help: "SGD steps.")
    var steps = 10

    @Option(name: .customLong("learning-rate"), help: "SGD's learning rate.")
    var learningRate: Float = 0.01

    @OptionGroup var deviceOption: DeviceOption

    func run() throws {
        let comparison = ModelComparison(
            description: try TrainingDescription.load(URL(fileURLWithPath: file)), weights: URL(fileURLWithPath: weights),
            batch: URL(fileURLWithPath: batch), steps: steps, learningRate: learningRate)
        let results = try comparison.run(on: try deviceOption.selector().open())
        try SafeTensors.write(results, to: URL(fileURLWithPath: output))
    }
}

import ArgumentParser
import Backend
import Foundation
import SwiftTuneOptions
import Training

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a trained model's weights in PyTorch's names and layouts (safetensors).",
        discussion: """
            Builds the model of the description (the same file and --set values it was trained \
            with), loads SwiftTune weights into it (model.safetensors or checkpoint.safetensors of \
            a run folder) and writes its state dict for PyTorch: \
            model.load_state_dict(safetensors.torch.load_file(FILE)) loads it into the matching \
            PyTorch model. Names follow docs/train-file.md (PyTorch weights); init.map and \
            init.prefix of the description apply.

            Example:
              swifttune export examples/resnet18.yaml --weights runs/resnet18/model.safetensors --output resnet18.safetensors
            """)

    @Argument(help: "The training description (YAML). Omit for the MLP of the flags.")
    var file: String?

    @Option(name: .long, help: "SwiftTune weights: a run's model.safetensors or checkpoint.safetensors.")
    var weights: String

    @Option(name: .long, help: "The format written (pytorch).")
    var format = "pytorch"

    @Option(name: .long, help: "The file written.")
    var output: String

    @OptionGroup var descriptionOptions: DescriptionOptions

    func validate() throws {
        guard format == "pytorch" else { throw ValidationError("--format: '\(format)' is not a format; the formats are: pytorch") }
    }

    func run() throws {
        let description = try descriptionOptions.description(file: file)
        let data = try description.data.prepare(seed: description.seed, baseFolder: description.baseFolder)
        let model = try description.makeModel(inputShape: data.train.featureShape, on: CPUDevice.shared)
        try ModelWeights.load(from: URL(fileURLWithPath: weights), into: model)
        try PyTorchWeights.export(model, to: URL(fileURLWithPath: output), map: description.pytorchModules)
        print("wrote \(output): \(model.namedState.count) tensors in PyTorch's names")
    }
}

import ArgumentParser
import Foundation
import SwiftTuneOptions
import Training

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a trained run folder on labelled data: loss, metrics, per-class report.",
        discussion: """
            Prepares the data as the training data was prepared (preprocessing.json) and prints \
            the loss and the run's metrics, and for classifiers precision, recall and F1 per class \
            and the confusion matrix. See docs/train-file.md.
            """)

    @Argument(help: "The run folder (written by `swifttune train` or `swifttune best --export`).")
    var runFolder: String

    @Option(name: .long, help: "Labelled samples: a CSV file with the training target column (or the label last), or class folders of images.")
    var data: String

    @Option(name: .long, help: "The weights file in the run folder (default model.safetensors; e.g. model-int8.safetensors).")
    var weights: String?

    @OptionGroup var deviceOption: DeviceOption

    func run() throws {
        let device = try deviceOption.selector().open()
        let run = try SavedRun(folder: URL(fileURLWithPath: runFolder), weights: weights, device: device)
        let samples = try run.read(URL(fileURLWithPath: data), requireLabels: true)
        let (evaluation, classification) = try run.evaluate(samples)
        let metrics = evaluation.metrics.keys.sorted().map { "\($0) \(String(format: "%.4f", evaluation.metrics[$0] ?? .nan))" }
        print("\(samples.samples.count) samples, weights \(run.weightsFile.lastPathComponent)")
        print((["loss \(String(format: "%.4f", evaluation.loss))"] + metrics).joined(separator: "  "))
        if let classification { print("\nper class:\n" + classification.text) }
    }
}

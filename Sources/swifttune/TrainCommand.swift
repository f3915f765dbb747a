import ArgumentParser
import Backend
import Foundation
import SwiftTuneOptions
import Training

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model described in a YAML file (or by flags) and diagnose the run.",
        discussion: """
            The file format is documented in docs/train-file.md; examples are in examples/. Without \
            a file, an MLP on a bundled data set is trained (--dataset, --hidden-units, --dropout). \
            Prints progress, test figures (per class for classifiers), a diagnosis and compression \
            results, and writes history.csv/json, checkpoint.safetensors, model.safetensors, \
            report.txt, report.html (curves, gradient norms, confusion matrix), diagnosis.json and, \
            for classifiers, classification_report.csv and confusion_matrix.csv into the output folder.
            """)

    @Argument(help: "The training description (YAML). Omit to train an MLP from flags.")
    var file: String?

    @OptionGroup var deviceOption: DeviceOption

    @Option(name: .long, help: "Output folder (default: runs/<file name or data set>).")
    var output: String?

    @OptionGroup var descriptionOptions: DescriptionOptions

    @OptionGroup var initWeights: InitWeightsOptions

    @Flag(name: .long, help: "Continue from the checkpoint in the output folder.")
    var resume = false

    @Option(name: .customLong("export-data"), help: ArgumentHelp(
        "Write the split and scaled data as train/validation/test.csv into this folder and exit without training.",
        valueName: "folder"))
    var exportFolder: String?

    func run() throws {
        let description = initWeights.applied(to: try descriptionOptions.description(file: file))
        if let exportFolder {
            let data = try description.data.prepare(seed: description.seed, baseFolder: description.baseFolder)
            let files = try data.writeCSV(to: URL(fileURLWithPath: exportFolder))
            print("wrote \(files.map(\.path).joined(separator: ", "))")
            return
        }
        let device = try deviceOption.selector().open()
        let folder = URL(fileURLWithPath: output ?? "runs/\(runName)")
        let run = try TrainingRun(description, device: device)
        print(try run.trainer.model.summary(inputShape: run.data.train.featureShape))
        if let loaded = run.initialization { print(InitWeightsOptions.summary(loaded)) }
        print("data: \(run.data.train.count) training, \(run.data.validation?.count ?? 0) validation, \(run.data.test?.count ?? 0) test samples; device \(device.identifier) (\(device.name))")
        let checkpoint = folder.appendingPathComponent("checkpoint.safetensors")
        if resume {
            guard FileManager.default.fileExists(atPath: checkpoint.path) else {
                throw ValidationError("--resume: no checkpoint at \(checkpoint.path)")
            }
            try run.trainer.restoreCheckpoint(from: checkpoint)
            print("resumed from \(checkpoint.path) after epoch \(run.trainer.epoch)")
        }
        try run.fit(outputFolder: folder, progress: ProgressBar())
        let report = try run.report()
        print("\n" + report.text(includingStopReason: false))
        try run.write(report, to: folder)
        let files = ["history.csv", "history.json", "checkpoint.safetensors"]
            + TrainingRun.reportFiles(classification: report.classification != nil)
        print("\nwrote \(folder.path): \(files.joined(separator: ", "))")
    }

    private var runName: String {
        file.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent } ?? "\(descriptionOptions.dataset)-mlp"
    }
}

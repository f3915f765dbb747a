import ArgumentParser
import Foundation
import SwiftTuneOptions
import Training

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a trained run folder: one CSV row per input sample.",
        discussion: """
            Reads the run's preprocessing.json (description, scaler, class names, input shape) and \
            weights, prepares the input as the training data was prepared, and writes one row per \
            sample: the predicted class and its probability, every class's probability \
            (--probabilities) or the k most probable classes (--top-k); for regression, the \
            predicted value in the target's units. See docs/train-file.md.
            """)

    @Argument(help: "The run folder (written by `swifttune train` or `swifttune best --export`).")
    var runFolder: String

    @Option(name: .long, help: "The samples: a CSV file (columns named as in training, or the features in order), or a folder of images.")
    var input: String

    @Option(name: .long, help: "Write the rows to this file instead of standard output.")
    var output: String?

    @Option(name: .long, help: "Write the K most probable classes with their probabilities.")
    var topK: Int?

    @Flag(name: .long, help: "Write the probability of every class.")
    var probabilities = false

    @Option(name: .long, help: "The weights file in the run folder (default model.safetensors; e.g. model-int8.safetensors).")
    var weights: String?

    @OptionGroup var deviceOption: DeviceOption

    func validate() throws {
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1") }
        if topK != nil, probabilities { throw ValidationError("--top-k and --probabilities exclude each other") }
    }

    func run() throws {
        let device = try deviceOption.selector().open()
        let run = try SavedRun(folder: URL(fileURLWithPath: runFolder), weights: weights, device: device)
        if !run.preprocessing.isClassification, topK != nil || probabilities {
            throw ValidationError("--top-k and --probabilities need a classifier; this run is a regression")
        }
        let samples = try run.read(URL(fileURLWithPath: input), requireLabels: false)
        let columns: PredictionTable.Columns = topK.map { .topK($0) } ?? (probabilities ? .probabilities : .predicted)
        let table = try PredictionTable.csv(try run.predict(samples), input: samples, preprocessing: run.preprocessing, columns: columns)
        if let output {
            do {
                try Data(table.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw RunFailure(description: "cannot write \(output): \(error.localizedDescription)")
            }
            print("wrote \(samples.samples.count) predictions to \(output)")
        } else {
            print(table, terminator: "")
        }
    }
}

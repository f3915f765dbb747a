import ArgumentParser
import Foundation
import SwiftTuneOptions
import Tuning

struct BestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best", abstract: "Print a study's best trial: its value and parameters (the Pareto set of a study with several directions).",
        discussion: """
            With --export DIR, also copy the best trial's kept weights (objective.keep_weights, \
            docs/study-file.md) into DIR as a run folder that `swifttune predict` and `evaluate` read. \
            With several directions it also prints the hypervolume of the complete trials against \
            --reference (default: past the worst value of each objective by a tenth of its range).
            """)

    @OptionGroup var options: StudyOptions

    @Flag(name: .long, help: "Print the trial as JSON.")
    var json = false

    @Option(name: .long, help: ArgumentHelp(
        "With several directions: the hypervolume's reference point, one value per direction.", valueName: "v1,v2,..."))
    var reference: String?

    @Option(name: .long, help: ArgumentHelp("Copy the best trial's run folder (model and preprocessing) here.", valueName: "folder"))
    var export: String?

    @Option(name: .long, help: ArgumentHelp(
        "With --export: copy this trial's run folder instead of the best one's (say, another trial of a Pareto set).",
        valueName: "number"))
    var trial: Int?

    func run() throws {
        do {
            let study = try options.open()
            let directions = try study.directions()
            if reference != nil, directions.count < 2 {
                throw ValidationError("--reference: study '\(study.name)' has one direction; a hypervolume needs several")
            }
            if let trial {
                guard let export else { throw ValidationError("--trial picks the trial that --export copies; give --export FOLDER too") }
                try exportChosen(trial, of: study, to: export)
                return
            }
            if directions.count > 1, export == nil {
                let pareto = try study.paretoTrials(directions: directions)
                guard !pareto.isEmpty else { throw ValidationError("study '\(study.name)' has no complete trial yet") }
                if json {
                    print(try TrialExport(trials: pareto, space: study.space).json(), terminator: "")
                } else {
                    print(ParetoSetText.text(pareto, directions: directions), terminator: "")
                    print(try StudyHypervolume(trials: study.trials(), directions: directions, reference: referencePoint()).text)
                }
                return
            }
            guard let best = try study.bestTrial(), let value = best.value else {
                throw ValidationError("study '\(study.name)' has no complete trial yet")
            }
            if json {
                print(try TrialExport(trials: [best], space: study.space).json(), terminator: "")
            } else {
                print("trial \(best.number): value \(ProgressReport.format(value))")
                for name in best.params.keys.sorted() { print("  \(name): \(best.params[name]!)") }
                if let lineage = PopulationLineage(trials: try study.trials(), space: study.space) {
                    print("\n" + lineage.text(), terminator: "")
                }
            }
            if let export {
                try exportWeights(of: best.number, study: study.name, to: URL(fileURLWithPath: export))
                if !json { print("exported trial \(best.number) to \(export) (swifttune predict \(export) --input FILE)") }
                if !json, directions.count > 1 { print("(the best by the first direction; --trial N exports another trial of the Pareto set)") }
            }
        } catch let error as TuningError {
            throw error.validation
        }
    }

    /// `--reference` as numbers.
    private func referencePoint() throws -> [Double]? {
        try reference.map { text in
            try text.split(separator: ",").map { part in
                guard let value = Double(part.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                    throw ValidationError("--reference: '\(part)' is not a number (give one per direction, comma-separated)")
                }
                return value
            }
        }
    }

    /// `--export` with `--trial`: copies a complete trial the user picked.
    private func exportChosen(_ number: Int, of study: Study, to export: String) throws {
        guard try study.trials().contains(where: { $0.number == number && $0.state == .complete }) else {
            throw ValidationError("--trial \(number): study '\(study.name)' has no complete trial \(number) (see swifttune trials)")
        }
        try exportWeights(of: number, study: study.name, to: URL(fileURLWithPath: export))
        if !json { print("exported trial \(number) to \(export) (swifttune predict \(export) --input FILE)") }
    }

    /// Copies trial `number`'s kept run folder into `destination`.
    private func exportWeights(of number: Int, study: String, to destination: URL) throws {
        guard let folder = TrialWeights.folder(storageURL: options.storage, study: study) else {
            throw ValidationError("a memory: storage keeps no trial weights")
        }
        let source = TrialWeights.trialFolder(folder, trial: number)
        guard FileManager.default.fileExists(atPath: source.appendingPathComponent(TrialWeights.recordFile).path) else {
            throw RunFailure(description: """
                the weights of trial \(number) are not in \(source.path): the study keeps none (keep_weights: none), \
                or another machine ran the trial
                """)
        }
        do {
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
            for file in ["model.safetensors", "preprocessing.json", TrialWeights.recordFile] {
                let target = destination.appendingPathComponent(file)
                if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
                try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: target)
            }
        } catch {
            throw RunFailure(description: "cannot export \(source.path) to \(destination.path): \(error.localizedDescription)")
        }
    }
}

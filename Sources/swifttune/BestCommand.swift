import ArgumentParser
import Foundation
import SwiftTuneOptions
import Tuning

struct BestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best", abstract: "Print a study's best trial: its value and parameters.")

    @OptionGroup var options: StudyOptions

    @Flag(name: .long, help: "Print the trial as JSON.")
    var json = false

    func run() throws {
        do {
            let study = try options.open()
            guard let best = try study.bestTrial(), let value = best.value else {
                throw ValidationError("study '\(study.name)' has no complete trial yet")
            }
            if json {
                print(try TrialExport(trials: [best], space: study.space).json(), terminator: "")
            } else {
                print("trial \(best.number): value \(ProgressReport.format(value))")
                for name in best.params.keys.sorted() { print("  \(name): \(best.params[name]!)") }
            }
        } catch let error as TuningError {
            throw error.validation
        }
    }
}

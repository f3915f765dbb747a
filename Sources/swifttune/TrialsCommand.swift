import ArgumentParser
import SwiftTuneOptions
import Tuning

struct TrialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trials", abstract: "List a study's trials as a table, CSV or JSON.")

    @OptionGroup var options: StudyOptions

    @Option(name: .long, help: "table, csv or json.")
    var format = "table"

    func run() throws {
        do {
            let study = try options.open()
            let export = TrialExport(trials: try study.trials(), space: study.space)
            switch format {
            case "table": print(export.text(), terminator: "")
            case "csv": print(export.csv(), terminator: "")
            case "json": print(try export.json(), terminator: "")
            default: throw ValidationError("--format must be table, csv or json")
            }
        } catch let error as TuningError {
            throw error.validation
        }
    }
}

import ArgumentParser
import Foundation
import SwiftTuneOptions
import Tuning

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarise a study in the terminal and write an HTML report (and CSV or JSON exports).")

    @OptionGroup var options: StudyOptions

    @Option(name: .long, help: "The HTML file to write (default: STUDY-report.html in this folder, with any / in the name as _).")
    var output: String?

    @Option(name: .long, help: "Also write every trial as CSV to this file.")
    var csv: String?

    @Option(name: .long, help: "Also write every trial as JSON to this file.")
    var json: String?

    func run() throws {
        do {
            let study = try options.open()
            let trials = try study.trials()
            var report = HTMLReport(name: study.name, direction: study.direction, space: study.space, trials: trials)
            report.directions = try study.directions()
            let html = report.html()
            let path = output ?? "\(FileNames.safe(study.name))-report.html"
            try write(html, to: path)
            let export = TrialExport(trials: trials, space: study.space)
            if let csv { try write(export.csv(), to: csv) }
            if let json { try write(try export.json(), to: json) }
            print(try StudySummary.text(of: study, run: nil))
            print("report: \(path)")
        } catch let error as TuningError {
            throw error.validation
        }
    }

    private func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ValidationError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

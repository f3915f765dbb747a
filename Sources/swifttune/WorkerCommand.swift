import ArgumentParser
import Foundation
import SwiftTuneOptions
import Tuning

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Join a study from this machine and run its trials until it stops.",
        discussion: "The study must have been created by `swifttune tune`, which stores its study file with it.")

    @Option(name: .long, help: "Where the study is: sqlite:PATH or postgres://USER@HOST:PORT/DB.")
    var storage: String

    @Option(name: .long, help: "The study's name.")
    var study: String

    @Option(name: .long, help: "Stop once the study holds this many trials, replacing the file's stop conditions.")
    var trials: Int?

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    @Flag(name: .long, help: "Stop as on SIGTERM when standard input ends (tune --workers passes a pipe that ends with tune).")
    var stopWhenInputEnds = false

    func run() async throws {
        let interruption = Interruption.install()
        if stopWhenInputEnds { interruption.stopWhenInputEnds() }
        let runner: StudyRunner
        do {
            runner = try StudyRunner.join(study: study, storageURL: storage)
            try runner.checkObjective()
        } catch let error as TuningError {
            throw error.validation
        }
        let stop = trials.map { [StopCondition.trials($0)] }
        let display = quiet ? nil : ProgressDisplay.standardOutput()
        let summary = try await interruption.run { try await runner.run(stop: stop, display: display) }
        if !quiet { print(try StudySummary.text(of: runner.study, run: summary)) }
        if interruption.signal != nil { throw ExitCode(Interruption.exitStatus) }
    }
}

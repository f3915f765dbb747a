import ArgumentParser
import Foundation
import SwiftTuneOptions
import Tuning

struct TuneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Run the hyperparameter study a study file describes (see docs/study-file.md).",
        discussion: """
            Creates the study in its storage (or resumes it) and runs trials until the file's stop \
            conditions. With --workers N, N worker processes share the study (one is this process). \
            Prints a line after each trial this process finishes (number, state, value; trials \
            done, running, pruned, failed; the best value and parameters; elapsed time and ETA). \
            On a terminal a status line under them is redrawn every second, with each running \
            trial's latest step and value.
            """)

    @Argument(help: "The study file (YAML).")
    var file: String

    @Option(name: .long, help: "Worker processes on this machine (each opens the trial device with its own queue).")
    var workers = 1

    @Option(name: .long, help: "Storage URL, replacing the file's (sqlite:PATH, memory:, postgres://...).")
    var storage: String?

    @Option(name: .long, help: "Stop once the study holds this many trials, replacing the file's stop conditions.")
    var trials: Int?

    @Flag(name: .long, help: "Print only the final summary.")
    var quiet = false

    func run() async throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        let interruption = Interruption.install()
        let runner: StudyRunner
        do {
            runner = try StudyRunner.start(yaml: StudyFile.text(contentsOf: file), fileName: file, storageURL: storage)
            try runner.checkObjective()
        } catch let error as TuningError {
            throw error.validation
        }
        if workers > 1, runner.storageURL == "memory:" {
            throw ValidationError("worker processes cannot share a memory: storage; use sqlite: or postgres://")
        }
        // Any user of the machine can read a process's arguments: the password goes in the environment.
        let handOff = try StorageURL.handOff(runner.storageURL)
        var arguments = ["worker", "--storage", handOff.url, "--study", runner.file.name, "--quiet", "--stop-when-input-ends"]
        if let trials { arguments += ["--trials", String(trials)] }
        let started = Date()
        let helpers = try WorkerProcesses.launch(count: workers - 1, arguments: arguments, environment: handOff.environment)
        interruption.onSignal { helpers.forward($0) }
        let stop = trials.map { [StopCondition.trials($0)] }
        let display = quiet ? nil : ProgressDisplay.standardOutput()
        if !quiet, let population = runner.file.population {
            FileHandle.standardOutput.write(Data((population.summary + "\n").utf8))
        } else if !quiet, let auto = runner.file.sampler as? AutoSampler {
            FileHandle.standardOutput.write(Data((auto.summary(for: runner.file.space) + "\n").utf8))
        }
        if !quiet, let auto = runner.file.sampler as? MultiObjectiveAutoSampler {
            FileHandle.standardOutput.write(Data((auto.summary() + "\n").utf8))
        }
        let summary = try await interruption.run { try await runner.run(stop: stop, display: display) }
        let failedHelpers = await helpers.waitForAll(allowing: interruption.signal == nil ? nil : Interruption.exitStatus)
        print(try StudySummary.text(of: runner.study, run: summary))
        if interruption.signal != nil { throw ExitCode(Interruption.exitStatus) }
        let finished = try runner.study.trials().filter { $0.state.isFinished && ($0.startedAt ?? .distantPast) >= started }
        if !finished.isEmpty, finished.allSatisfy({ $0.state == .fail }) {
            throw RunFailure(description: "every trial of this run failed (\(finished.count)); see why with swifttune trials --storage \(handOff.url)")
        }
        if failedHelpers > 0 {
            throw RunFailure(description: "\(failedHelpers) worker process\(failedHelpers == 1 ? "" : "es") failed")
        }
    }
}

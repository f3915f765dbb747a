import Foundation
import Testing
@testable import Tuning

/// Whole `swifttune tune` runs stopped by signals: nothing they started may outlive them.
///
/// Commands sleep for minutes, and every wait allows a minute or more, so the outcomes do not
/// depend on how loaded the machine is.
@Suite(.serialized) struct TuneStoppingTests {
    static let built = SwiftTuneCommand.isBuilt

    /// Records, in the working directory, the pids of the command (`N.command`), of a background
    /// child it starts (`N.child`) and of the worker process running it (`N.worker`), N being the
    /// trial number; then waits for minutes.
    static let recordingScript =
        #"sleep 300 & echo $! > $SWIFTTUNE_TRIAL.child; echo $PPID > $SWIFTTUNE_TRIAL.worker; echo $$ > $SWIFTTUNE_TRIAL.command; wait; echo 1"#

    /// Writes a study file whose commands run in `folder`; returns its path.
    static func studyFile(in folder: String, command: String, objective extra: String = "") throws -> String {
        let path = folder + "/study.yaml"
        try """
            name: stopping
            space:
              x: {type: float, low: 0, high: 1}
            sampler: {type: random}
            objective:
              command: \(try ShellCommandTests.yaml(command))
              working_directory: \(try ShellCommandTests.yaml(folder))
              log_directory: \(try ShellCommandTests.yaml(folder + "/logs"))
            \(extra)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Starts `swifttune` with `arguments` in a process group of its own (as a shell with job
    /// control does), its output going to `folder/output`.
    static func start(_ arguments: [String], in folder: String) throws -> ChildProcess {
        var environment = ProcessInfo.processInfo.environment
        environment["OUTPUT"] = folder + "/output"
        return try ChildProcess.start(
            executable: "/bin/sh", arguments: ["sh", "-c", #"exec "$0" "$@" > "$OUTPUT" 2>&1"#, SwiftTuneCommand.path] + arguments,
            environment: environment, role: .worker)
    }

    static func output(_ folder: String) -> String {
        (try? String(contentsOfFile: folder + "/output", encoding: .utf8)) ?? "(no output)"
    }

    static func trials(_ folder: String) throws -> [TrialRecord] {
        let study = try Study(
            loading: "stopping", storage: try SQLStorage.sqlite(path: folder + "/study.db"), sampler: RandomSampler(), heartbeat: .off)
        return try study.trials()
    }

    /// Kills whatever a failed test left running (by pid, never by name).
    static func cleanUp(_ pids: [pid_t]) {
        for pid in pids where isRunning(pid) { kill(pid, SIGKILL) }
    }

    enum Stop: String, CaseIterable, CustomStringConvertible {
        /// SIGINT to tune's process group: Ctrl-C at a terminal, or `kill -INT -- -PID`.
        case controlC
        /// SIGTERM to the tune process alone.
        case terminate

        var description: String { rawValue }
    }

    @Test(.enabled(if: built), arguments: Stop.allCases)
    func stoppingTuneEndsItsWorkersAndEveryCommandAndRecordsTheTrials(stop: Stop) async throws {
        let folder = try temporaryFolder("stop-tune")
        let file = try Self.studyFile(in: folder, command: Self.recordingScript)
        let tune = try Self.start(["tune", file, "--storage", "sqlite:\(folder)/study.db", "--workers", "4", "--trials", "40"], in: folder)
        var pids: [pid_t] = []
        defer { Self.cleanUp(pids + [tune.pid]) }
        // Four trials run at once: one in tune, one in each of its three workers.
        let running = await waitUntil {
            ["command", "child", "worker"].allSatisfy { recordedPids(in: folder, suffix: $0).count == 4 }
        }
        try #require(running, "\(Self.output(folder))")
        let workers = Set(recordedPids(in: folder, suffix: "worker").values).subtracting([tune.pid])
        #expect(workers.count == 3)
        pids = Array(recordedPids(in: folder, suffix: "command").values) + recordedPids(in: folder, suffix: "child").values + workers

        switch stop {
        case .controlC: killpg(tune.pid, SIGINT)
        case .terminate: kill(tune.pid, SIGTERM)
        }
        let exited = await waitUntil(seconds: 60) { tune.terminated != nil }
        try #require(exited, "tune did not exit: \(Self.output(folder))")
        #expect(tune.terminated == .exited(status: Interruption.exitStatus), "\(Self.output(folder))")
        // Killed processes die a moment after the signal (the old tune left them for minutes).
        #expect(await waitUntil(seconds: 60) { pids.allSatisfy { !isRunning($0) } }, "left running: \(pids.filter(isRunning))")
        let trials = try Self.trials(folder)
        #expect(trials.count == 4)
        #expect(trials.allSatisfy { $0.state == .fail && $0.failReason == TrialOutcome.interruptedReason },
                "\(trials.map { ($0.number, $0.state, $0.failReason ?? "") })")
        #expect(Self.output(folder).contains("study stopping (minimize): 4 trials"))
    }

    @Test(.enabled(if: built))
    func aSecondControlCEndsTuneAtOnce() async throws {
        let folder = try temporaryFolder("second-ctrl-c")
        // The command notes SIGTERM and goes on; with a grace of ten minutes only a second Ctrl-C
        // can end the run quickly.
        let file = try Self.studyFile(
            in: folder, command: #"trap 'echo > term' TERM; echo $$ > 0.command; while :; do sleep 1; done"#,
            objective: "  termination_grace_seconds: 600")
        let tune = try Self.start(["tune", file, "--storage", "sqlite:\(folder)/study.db", "--trials", "1"], in: folder)
        var command: pid_t?
        defer { Self.cleanUp([command, tune.pid].compactMap { $0 }) }
        try #require(await waitUntil { recordedPid(folder + "/0.command") != nil }, "\(Self.output(folder))")
        command = recordedPid(folder + "/0.command")
        killpg(tune.pid, SIGINT)
        try #require(await waitUntil { FileManager.default.fileExists(atPath: folder + "/term") }, "\(Self.output(folder))")
        killpg(tune.pid, SIGINT)
        let exited = await waitUntil(seconds: 60) { tune.terminated != nil }
        try #require(exited, "tune did not exit: \(Self.output(folder))")
        #expect(tune.terminated == .exited(status: Interruption.exitStatus))
        #expect(await waitUntil(seconds: 60) { command.map(isRunning) == false })
        // Ending at once records nothing: the trial is left to the heartbeat check.
        #expect(try Self.trials(folder).map(\.state) == [.running])
    }

    @Test(.enabled(if: built))
    func workerProcessesStopWhenTuneIsKilled() async throws {
        let folder = try temporaryFolder("kill-tune")
        let file = try Self.studyFile(in: folder, command: Self.recordingScript)
        let tune = try Self.start(["tune", file, "--storage", "sqlite:\(folder)/study.db", "--workers", "3", "--trials", "30"], in: folder)
        var pids: [pid_t] = []
        defer { Self.cleanUp(pids + [tune.pid]) }
        let running = await waitUntil {
            ["command", "child", "worker"].allSatisfy { recordedPids(in: folder, suffix: $0).count == 3 }
        }
        try #require(running, "\(Self.output(folder))")
        let byWorker = recordedPids(in: folder, suffix: "worker")
        let commands = recordedPids(in: folder, suffix: "command"), children = recordedPids(in: folder, suffix: "child")
        pids = Array(commands.values) + children.values + byWorker.values.filter { $0 != tune.pid }
        // The trials that tune's two workers run, and what they started.
        let workerTrials = byWorker.filter { $0.value != tune.pid }.map(\.key)
        #expect(workerTrials.count == 2)
        let workerPids = workerTrials.compactMap { byWorker[$0] } + workerTrials.compactMap { commands[$0] }
            + workerTrials.compactMap { children[$0] }

        kill(tune.pid, SIGKILL)
        let stopped = await waitUntil(seconds: 60) { workerPids.allSatisfy { !isRunning($0) } }
        #expect(stopped, "left running: \(workerPids.filter(isRunning))")
        let trials = try Self.trials(folder)
        for number in workerTrials.compactMap(Int.init) {
            #expect(trials[number].state == .fail && trials[number].failReason == TrialOutcome.interruptedReason)
        }
    }

    @Test(.enabled(if: built))
    func tuneFailsWhenEveryTrialOfItsRunFails() throws {
        let folder = try temporaryFolder("all-fail")
        let file = try Self.studyFile(in: folder, command: "echo broken >&2; exit 3")
        let (status, output) = try SwiftTuneCommand.run(["tune", file, "--storage", "sqlite:\(folder)/study.db", "--trials", "3"])
        #expect(status == 1, "\(output)")
        #expect(output.contains("every trial of this run failed (3)"))
        #expect(output.contains("sh exited with status 3: broken"))
    }
}

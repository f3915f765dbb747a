import Foundation
import Testing
@testable import Tuning

/// How command objectives end: timeouts and interruptions reach everything a command started,
/// and what a command prints costs time linear in its length.
///
/// Time limits here are far above what the work needs, even when CPU-heavy suites running beside
/// this one hold the test's threads for a minute, and far below what the old behaviour took
/// (commands sleep for five minutes), so load cannot decide the outcome.
@Suite struct CommandStoppingTests {
    let space = try! SearchSpace([.float("x", 0...1)])

    func makeStudy() throws -> Study {
        try Study(name: "stop", space: space, storage: InMemoryStorage(), sampler: RandomSampler(), heartbeat: .off)
    }

    /// A script that starts a background `sleep`, records its pid (file `child`) and its own
    /// (file `command`) in the working directory, and waits for minutes before printing a value.
    static let hangingScript = #"sleep 300 & echo $! > child; echo $$ > command; sleep 300; echo 1"#

    @Test func aTimeoutEndsTheCommandsWholeProcessGroup() async throws {
        let folder = try temporaryFolder("timeout")
        let study = try makeStudy()
        let objective = CommandObjective(command: .shell(Self.hangingScript), workingDirectory: folder, timeout: 1)
        let clock = ContinuousClock()
        let start = clock.now
        try await study.optimize(objective, stop: [.trials(1)])
        // The old reader waited for the output pipe, which the background sleep kept open.
        #expect(clock.now - start < .seconds(200))
        let trial = try study.trials()[0]
        #expect(trial.state == .fail)
        #expect(trial.failReason == "timed out after 1.0 s")
        let pids = [recordedPid(folder + "/command"), recordedPid(folder + "/child")].compactMap { $0 }
        #expect(pids.count == 2)
        // Killed processes die a moment after the signal; the old code left them for minutes.
        #expect(await waitUntil(seconds: 60) { pids.allSatisfy { !isRunning($0) } }, "still running: \(pids.filter(isRunning))")
    }

    @Test func cancellingEndsTheCommandAndRecordsTheTrialAsInterrupted() async throws {
        let folder = try temporaryFolder("cancel")
        let study = try makeStudy()
        let objective = CommandObjective(command: .shell(Self.hangingScript), workingDirectory: folder)
        let run = Task { try await study.optimize(objective, stop: [.trials(3)]) }
        let started = await waitUntil { recordedPid(folder + "/command") != nil && recordedPid(folder + "/child") != nil }
        #expect(started)
        let clock = ContinuousClock()
        let cancelled = clock.now
        run.cancel()
        let summary = try await run.value
        #expect(clock.now - cancelled < .seconds(200))
        #expect(summary.stopReason == .cancelled)
        let trials = try study.trials()
        #expect(trials.count == 1)
        #expect(trials[0].state == .fail)
        #expect(trials[0].failReason == TrialOutcome.interruptedReason)
        let pids = [recordedPid(folder + "/command"), recordedPid(folder + "/child")].compactMap { $0 }
        #expect(await waitUntil(seconds: 60) { pids.allSatisfy { !isRunning($0) } }, "still running: \(pids.filter(isRunning))")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/fd")))
    func commandsInheritOnlyTheirStandardStreams() async throws {
        // A descriptor open without close-on-exec, as a parent process may leave one.
        let stray = open("/dev/null", O_RDONLY)
        defer { close(stray) }
        let folder = try temporaryFolder("descriptors")
        let study = try makeStudy()
        // The command becomes `sleep` (exec: no shell of its own around) and is looked at from here.
        let objective = CommandObjective(command: .shell("echo $$ > command; exec sleep 300"), workingDirectory: folder)
        let run = Task { try await study.optimize(objective, stop: [.trials(1)]) }
        defer { run.cancel() }
        let sleeping = await waitUntil {
            recordedPid(folder + "/command").flatMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\($0)/exe") }?
                .hasSuffix("sleep") == true
        }
        try #require(sleeping)
        let pid = try #require(recordedPid(folder + "/command"))
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").sorted()
        #expect(descriptors == ["0", "1", "2"])
        run.cancel()
        _ = try await run.value
    }

    @Test func aThirtyMegabyteLineIsReadInLinearTimeAndLoggedWhole() async throws {
        let logs = try temporaryFolder("logs")
        let study = try makeStudy()
        let objective = CommandObjective(
            command: .shell(#"head -c 30000000 /dev/zero | tr '\0' x; echo; echo 0.5"#), logDirectory: logs)
        let clock = ContinuousClock()
        let start = clock.now
        try await study.optimize(objective, stop: [.trials(1)])
        // Linear reading takes a fraction of a second; the old reader, quadratic (17.5 s for 4 MB),
        // would take about a quarter of an hour.
        #expect(clock.now - start < .seconds(200))
        let trial = try study.trials()[0]
        #expect(trial.state == .complete)
        #expect(trial.value == 0.5)
        let log = logs + "/trial-0.log"
        #expect(trial.userAttributes[CommandObjective.logFileKey] == log)
        let size = try FileManager.default.attributesOfItem(atPath: log)[.size] as? Int
        #expect(size == 30_000_000 + "\n0.5\n".utf8.count)
    }

    @Test func failureReasonsKeepOnlyTheEndOfLongOutput() async throws {
        let study = try makeStudy()
        let lastLine = CommandObjective(command: .shell(#"head -c 3000000 /dev/zero | tr '\0' x"#))
        try await study.optimize(lastLine, stop: [.trials(1)])
        let errors = CommandObjective(command: .shell(#"head -c 3000000 /dev/zero | tr '\0' e >&2; echo >&2; echo the end >&2; exit 2"#))
        try await study.optimize(errors, stop: [.trials(2)])
        let trials = try study.trials()
        let notANumber = try #require(trials[0].failReason)
        #expect(notANumber.hasPrefix("the last output line 'xxx"))
        #expect(notANumber.hasSuffix("…' (3000000 bytes) is not a number"))
        #expect(notANumber.count < 300)
        let exited = try #require(trials[1].failReason)
        #expect(exited.hasPrefix("sh exited with status 2: …eee"))
        #expect(exited.hasSuffix("eee\nthe end"))
        #expect(exited.utf8.count < CommandOutput.keptErrorBytes + 100)
    }

    @Test func linesAreSplitWithBoundedMemory() {
        var splitter = LineSplitter(keptBytes: 8)
        var lines: [LineSplitter.Line] = []
        let long = [UInt8](repeating: UInt8(ascii: "y"), count: 100_000)
        for chunk in [Array("step 1 value 2\nab".utf8), long, Array("c\n\nend".utf8)] {
            chunk.withUnsafeBytes { splitter.feed($0) { lines.append($0) } }
        }
        splitter.finish { lines.append($0) }
        #expect(lines == [
            LineSplitter.Line(text: "step 1 v", length: 14, isCut: true),
            LineSplitter.Line(text: "abyyyyyy", length: 100_003, isCut: true),
            LineSplitter.Line(text: "", length: 0, isCut: false),
            LineSplitter.Line(text: "end", length: 3, isCut: false),
        ])
    }
}

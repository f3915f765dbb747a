import Foundation
import Testing
@testable import Tuning

@Suite struct CommandObjectiveTests {
    let space = try! SearchSpace([.float("x", 0...1), .categorical("mode", ["ok", "fail", "text", "slow", "long"])])

    /// Runs one trial of `script` (sh -c) with the given configuration and returns it as stored.
    func run(_ script: String, _ params: [String: ParameterValue], pruner: any Pruner = NoPruner(),
             timeout: TimeInterval? = nil, history: Int = 0) async throws -> TrialRecord {
        let study = try Study(name: "c", space: space, storage: InMemoryStorage(), sampler: RandomSampler(), pruner: pruner, heartbeat: .off)
        for _ in 0..<history {
            let trial = try #require(try study.ask())
            for step in 1...5 { try trial.report(0, step: step) }
            try study.tell(trial, .complete(0))
        }
        try study.enqueue(params)
        let objective = CommandObjective(command: ["sh", "-c", script, "sh", "{x}"], timeout: timeout, studyName: "c")
        try await study.optimize(objective, stop: [.trials(history + 1)])
        return try study.trials().last!
    }

    @Test func passesParametersAndReadsTheLastLine() async throws {
        let trial = try await run(#"echo "x is $1 and $SWIFTTUNE_PARAM_MODE"; echo "  $SWIFTTUNE_PARAM_X  ""#, ["x": 0.25, "mode": "ok"])
        #expect(trial.state == .complete, "\(trial.failReason ?? "")")
        #expect(trial.value == 0.25)
    }

    @Test func stepLinesBecomeIntermediateValues() async throws {
        let trial = try await run("for i in 1 2 3; do echo \"step $i value $((i * 2))\"; done; echo 7.5", ["x": 0.5, "mode": "ok"])
        #expect(trial.intermediateValues == [1: 2, 2: 4, 3: 6])
        #expect(trial.value == 7.5)
    }

    @Test func failuresNameTheirCause() async throws {
        let exit = try await run("echo partial; echo 'it broke' >&2; exit 3", ["x": 0.5, "mode": "fail"])
        #expect(exit.state == .fail)
        #expect(exit.failReason == "sh exited with status 3: it broke")
        let text = try await run("echo done", ["x": 0.5, "mode": "text"])
        #expect(text.failReason == "the last output line 'done' is not a number")
        let killed = try await run("kill -9 $$", ["x": 0.5, "mode": "fail"])
        #expect(killed.failReason == "sh was killed by signal 9")
    }

    @Test func studyFilesGiveTheCommandsShellGraceAndLogFolder() throws {
        func objective(_ text: String) throws -> CommandObjective? {
            try StudyFile(yaml: "name: a/b\nspace: {x: 1}\nobjective: \(text)\n").objective as? CommandObjective
        }
        let script = try #require(try objective(#"{command: "echo {x}", termination_grace_seconds: 30}"#))
        #expect(script.command == .shell("echo {x}"))
        #expect(script.terminationGrace == 30)
        #expect(script.logDirectory == "logs/a_b")
        let list = try #require(try objective("{command: [echo, \"{x}\"], log_directory: /tmp/trial-logs}"))
        #expect(list.command == .arguments(["echo", "{x}"]))
        #expect(list.terminationGrace == 2)
        #expect(list.logDirectory == "/tmp/trial-logs")
        #expect(throws: TuningError.self) { try objective("{command: true, termination_grace_seconds: -1}") }
    }

    @Test func commandsThatCouldRunNoTrialStopTheStudyBeforeItsFirst() async throws {
        let study = try Study(name: "m", space: space, storage: InMemoryStorage(), sampler: RandomSampler(), heartbeat: .off)
        func problem(_ objective: CommandObjective) async -> String {
            do {
                try await study.optimize(objective, stop: [.trials(1)])
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(await problem(CommandObjective(command: [])) == "command objective: the command is empty")
        #expect(await problem(CommandObjective(command: .shell(" "))) == "command objective: the command is empty")
        #expect(await problem(CommandObjective(command: ["no-such-program-4c1e", "{x}"])).hasPrefix(
            "command objective: cannot start no-such-program-4c1e: not found on PATH"))
        #expect(await problem(CommandObjective(command: ["true"], workingDirectory: "/no/such/folder")) ==
            "command objective: the working directory /no/such/folder does not exist")
        let twins = try SearchSpace([.float("learning-rate", 0...1), .float("learning_rate", 0...1)])
        #expect(throws: TuningError.invalidSettings(
            component: "command objective",
            reason: "parameters 'learning-rate' and 'learning_rate' would both be passed as SWIFTTUNE_PARAM_LEARNING_RATE")) {
            try CommandObjective(command: ["true"]).check(for: twins)
        }
        #expect(try study.trials().isEmpty)
    }

    @Test func slowCommandsTimeOut() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let trial = try await run("echo step 1 value 1; exec sleep 300", ["x": 0.5, "mode": "slow"], timeout: 0.5)
        // Far below the command's 300 s and far above what a loaded machine can add: CPU-heavy
        // suites running beside this one can hold the test's threads for a minute.
        #expect(clock.now - start < .seconds(200))
        #expect(trial.state == .fail)
        #expect(trial.failReason == "timed out after 0.5 s")
        #expect(trial.intermediateValues == [1: 1])
    }

    @Test func prunedCommandsAreStopped() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        // Five earlier trials reported 0 at every step; this one reports 9 and would run for 300 s.
        let trial = try await run(
            "echo step 1 value 9; echo step 2 value 9; exec sleep 300", ["x": 0.5, "mode": "long"],
            pruner: try MedianPruner(startupTrials: 5), history: 5)
        #expect(clock.now - start < .seconds(200))
        #expect(trial.state == .pruned)
        #expect(trial.intermediateValues[1] == 9)
        #expect(trial.value == 9)
    }

    @Test func placeholdersAndAppendedArguments() throws {
        let study = try Study(name: "a", space: space, storage: InMemoryStorage(), sampler: RandomSampler(), heartbeat: .off)
        try study.enqueue(["x": 0.5, "mode": "ok"])
        let trial = try #require(try study.ask())
        let objective = CommandObjective(command: ["run", "--x={x}", "{study}/{trial}"], appendArguments: true, studyName: "a")
        #expect(objective.arguments(for: trial) == ["run", "--x=0.5", "a/0", "--mode=ok", "--x=0.5"])
        #expect(CommandObjective.environmentName("learning-rate") == "LEARNING_RATE")
        // One pass: a value's own braces are not placeholders.
        #expect(Placeholders.argument("{a}{b}", values: ["a": "{b}", "b": "2"]) == "{b}2")
        #expect(CommandObjective.intermediate("step 3 value 0.5")! == (3, 0.5))
        #expect(CommandObjective.intermediate("step three value 0.5") == nil)
    }
}

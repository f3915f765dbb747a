import Foundation
import Synchronization

/// Evaluates a trial by running a command.
///
/// - Parameters reach the command as `{name}` placeholders in its arguments, as
///   `--name=value` arguments when `appendArguments` is set, and always as environment variables
///   `SWIFTTUNE_PARAM_<NAME>` (upper case, other characters as `_`), with `SWIFTTUNE_TRIAL` (the
///   trial number) and `SWIFTTUNE_STUDY`. `{trial}` and `{study}` are placeholders too.
/// - Each output line `step N value V` reports V as the intermediate value of step N; when the
///   pruner says stop, the command is terminated and the trial is pruned.
/// - The trial's value is the last non-empty output line, which must be a number.
/// - A non-zero exit status, a signal, a timeout or a last line that is not a number fails the
///   trial with a reason that names it (and the end of the command's error output).
public struct CommandObjective: Objective {
    public var command: [String]
    public var workingDirectory: String?
    /// Seconds before the command is terminated and the trial failed.
    public var timeout: TimeInterval?
    public var appendArguments: Bool
    /// Extra environment variables.
    public var environment: [String: String]
    /// The study name passed as `{study}` and `SWIFTTUNE_STUDY`.
    public var studyName: String

    public init(command: [String], workingDirectory: String? = nil, timeout: TimeInterval? = nil,
                appendArguments: Bool = false, environment: [String: String] = [:], studyName: String = "") {
        self.command = command
        self.workingDirectory = workingDirectory
        self.timeout = timeout
        self.appendArguments = appendArguments
        self.environment = environment
        self.studyName = studyName
    }

    /// Why a command trial failed.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public func evaluate(_ trial: Trial) async throws -> Double {
        let process = Process()
        let arguments = self.arguments(for: trial)
        guard let executable = arguments.first else { throw Failure(description: "the command is empty") }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = environment(for: trial)
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice

        let exited = ProcessExit()
        process.terminationHandler = { process in
            exited.finish(status: process.terminationStatus, reason: process.terminationReason)
        }
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot start \(executable): \(error.localizedDescription)")
        }
        let errorTail = OutputTail(lines: 20)
        LineReader.start(errors.fileHandleForReading, onLine: { errorTail.append($0) })
        // Output lines are handled as they arrive, on the reader's thread: intermediate values are
        // reported at once, and a pruned or failed trial stops the command.
        let monitor = OutputMonitor()
        LineReader.start(output.fileHandleForReading, onLine: { line in
            guard let (step, value) = monitor.note(line) else { return }
            do {
                try trial.report(value, step: step)
                if try trial.shouldPrune() {
                    monitor.stop(because: TrialPruned())
                    Self.stop(process)
                }
            } catch {
                monitor.stop(because: error)
                Self.stop(process)
            }
        }, onEnd: monitor.markEnded)
        // Timers run on dispatch queues, so a busy Swift concurrency pool cannot delay them.
        let timer = timeout.map { seconds in
            let deadline = DispatchWorkItem {
                exited.markTimedOut()
                Self.stop(process)
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: deadline)
            return deadline
        }
        let (status, reason) = await exited.wait()
        timer?.cancel()
        // A child the command left behind may hold the output open; do not wait for it long.
        await monitor.waitForEnd(upTo: 1)
        if let stopReason = monitor.stopReason { throw stopReason }
        if exited.timedOut, let timeout {
            throw Failure(description: "timed out after \(timeout) s\(errorTail.suffix)")
        }
        if reason == .uncaughtSignal {
            throw Failure(description: "\(executable) was killed by signal \(status)\(errorTail.suffix)")
        }
        guard status == 0 else {
            throw Failure(description: "\(executable) exited with status \(status)\(errorTail.suffix)")
        }
        guard let lastLine = monitor.lastLine, let value = Double(lastLine) else {
            throw Failure(description: "the last output line \(monitor.lastLine.map { "'\($0)'" } ?? "(none)") is not a number")
        }
        return value
    }

    /// The command line with placeholders filled and, if asked, `--name=value` arguments appended.
    func arguments(for trial: Trial) -> [String] {
        var values = trial.params.mapValues(\.description)
        values["trial"] = String(trial.number)
        values["study"] = studyName
        var arguments = command.map { argument in
            values.reduce(argument) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
        if appendArguments {
            arguments += trial.params.keys.sorted().map { "--\($0)=\(trial.params[$0]!.description)" }
        }
        return arguments
    }

    private func environment(for trial: Trial) -> [String: String] {
        var variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        variables["SWIFTTUNE_TRIAL"] = String(trial.number)
        variables["SWIFTTUNE_STUDY"] = studyName
        for (name, value) in trial.params {
            variables["SWIFTTUNE_PARAM_" + Self.environmentName(name)] = value.description
        }
        return variables
    }

    /// `learning-rate` → `LEARNING_RATE`.
    static func environmentName(_ name: String) -> String {
        String(name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// Parses `step N value V`.
    static func intermediate(_ line: String) -> (Int, Double)? {
        let words = line.split(whereSeparator: \.isWhitespace)
        guard words.count == 4, words[0] == "step", words[2] == "value",
              let step = Int(words[1]), let value = Double(words[3]) else { return nil }
        return (step, value)
    }

    /// SIGTERM, then SIGKILL if the command is still alive two seconds later.
    private static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + 2) {
            if process.isRunning { kill(pid, SIGKILL) }
        }
    }
}

/// Waits for a process to exit, from its termination handler.
private final class ProcessExit: Sendable {
    private struct State {
        var result: (Int32, Process.TerminationReason)?
        var waiters: [CheckedContinuation<(Int32, Process.TerminationReason), Never>] = []
        var timedOut = false
    }

    private let state = Mutex(State())

    func finish(status: Int32, reason: Process.TerminationReason) {
        let waiters = state.withLock { state in
            state.result = (status, reason)
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: (status, reason)) }
    }

    func wait() async -> (Int32, Process.TerminationReason) {
        await withCheckedContinuation { continuation in
            let result = state.withLock { state in
                if state.result == nil { state.waiters.append(continuation) }
                return state.result
            }
            if let result { continuation.resume(returning: result) }
        }
    }

    func markTimedOut() { state.withLock { $0.timedOut = true } }
    var timedOut: Bool { state.withLock { $0.timedOut } }
}

/// The last lines of a command's error output, for failure reasons.
private final class OutputTail: Sendable {
    private let lines: Mutex<[String]>
    private let limit: Int

    init(lines limit: Int) {
        self.limit = limit
        lines = Mutex([])
    }

    func append(_ line: String) {
        lines.withLock { lines in
            lines.append(line)
            if lines.count > limit { lines.removeFirst() }
        }
    }

    /// ": <last lines>" or "" when there were none.
    var suffix: String {
        let text = lines.withLock { $0.joined(separator: "\n") }.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "" : ": \(text)"
    }
}

/// What a command has printed so far, and whether its trial was stopped.
private final class OutputMonitor: Sendable {
    private struct State {
        var lastLine: String?
        var stopReason: (any Error)?
        var ended = false
    }

    private let state = Mutex(State())

    /// Records a line; returns its step and value if it is a `step N value V` line.
    func note(_ line: String) -> (Int, Double)? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        state.withLock { $0.lastLine = trimmed }
        return CommandObjective.intermediate(trimmed)
    }

    func stop(because reason: any Error) {
        state.withLock { state in
            if state.stopReason == nil { state.stopReason = reason }
        }
    }

    func markEnded() { state.withLock { $0.ended = true } }

    /// Waits until the output has ended, or `seconds` have passed.
    func waitForEnd(upTo seconds: Double) async {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(seconds)
        while !state.withLock({ $0.ended }), clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    var lastLine: String? { state.withLock { $0.lastLine } }
    var stopReason: (any Error)? { state.withLock { $0.stopReason } }
}

/// Reads a pipe line by line on a thread of its own (reads block) until end of file.
enum LineReader {
    static func start(
        _ handle: FileHandle, onLine: @escaping @Sendable (String) -> Void, onEnd: @escaping @Sendable () -> Void = {}
    ) {
        Thread.detachNewThread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    onLine(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            if !pending.isEmpty { onLine(String(decoding: pending, as: UTF8.self)) }
            onEnd()
        }
    }
}

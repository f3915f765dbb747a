import Foundation
import Synchronization

/// Evaluates a trial by running a command.
///
/// - Parameters reach the command as `{name}` placeholders (see `Command`), as `--name=value`
///   arguments when `appendArguments` is set, and always as environment variables
///   `SWIFTTUNE_PARAM_<NAME>` (upper case, other characters as `_`), with `SWIFTTUNE_TRIAL` (the
///   trial number) and `SWIFTTUNE_STUDY`. `{trial}` and `{study}` are placeholders too.
/// - Each output line `step N value V` reports V as the intermediate value of step N; when the
///   pruner says stop, the command is stopped and the trial is pruned.
/// - The trial's value is the last non-empty output line, which must be a number.
/// - A non-zero exit status, a signal, a timeout or a last line that is not a number fails the
///   trial with a reason that names it (and the end of the command's error output).
/// - The command runs in a process group of its own. Stopping it (a timeout, the pruner, the
///   task being cancelled) sends SIGTERM to the whole group, then SIGKILL after
///   `terminationGrace` seconds; when the command exits, what it left running in its group is
///   killed. A cancelled task's trial ends with `CancellationError`.
/// - With a `logDirectory`, everything the command prints (output and error output) is written
///   to `trial-N.log` there, and the file's path is the trial's user attribute `log_file`.
public struct CommandObjective: Objective {
    /// What runs.
    public enum Command: Sendable, Hashable, ExpressibleByArrayLiteral {
        /// A program and its arguments, started without a shell; `{NAME}` is replaced by the
        /// value's text.
        case arguments([String])
        /// A script run by `sh -c`; `{NAME}` becomes a quoted reference to the environment
        /// variable holding the value, so no value is ever read as shell code.
        case shell(String)

        public init(arrayLiteral elements: String...) {
            self = .arguments(elements)
        }
    }

    public var command: Command
    public var workingDirectory: String?
    /// Seconds before the command is stopped and the trial failed.
    public var timeout: TimeInterval?
    public var appendArguments: Bool
    /// Extra environment variables.
    public var environment: [String: String]
    /// The study name passed as `{study}` and `SWIFTTUNE_STUDY`.
    public var studyName: String
    /// Where each trial's whole output is written (`trial-N.log`); nil writes none.
    public var logDirectory: String?
    /// Seconds between SIGTERM and SIGKILL when a command is stopped.
    public var terminationGrace: Double
    /// The user attribute that holds the path of a trial's log file.
    public static let logFileKey = "log_file"

    public init(
        command: Command, workingDirectory: String? = nil, timeout: TimeInterval? = nil, appendArguments: Bool = false,
        environment: [String: String] = [:], studyName: String = "", logDirectory: String? = nil,
        terminationGrace: Double = 2
    ) {
        self.command = command
        self.workingDirectory = workingDirectory
        self.timeout = timeout
        self.appendArguments = appendArguments
        self.environment = environment
        self.studyName = studyName
        self.logDirectory = logDirectory
        self.terminationGrace = terminationGrace
    }

    /// Why a command trial failed.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public func evaluate(_ trial: Trial) async throws -> Double {
        try Task.checkCancellation()
        let arguments = arguments(for: trial)
        guard let name = arguments.first else { throw Failure(description: "the command is empty") }
        let environment = environment(for: trial)
        let executable = try executablePath(name, environment: environment)
        let log = try openLog(for: trial)
        let child: ChildProcess
        do {
            child = try ChildProcess.start(
                executable: executable, arguments: arguments, environment: environment, workingDirectory: workingDirectory,
                output: .pipe, error: .pipe, role: .command)
        } catch {
            if let log { close(log) }
            throw Failure(description: "\(error)")
        }
        guard let outputEnd = child.output, let errorEnd = child.error else {
            throw Failure(description: "\(name) was started without its output pipes")
        }
        let stop = CommandStop(child, grace: terminationGrace)
        // Output lines are handled as they arrive, on the reader's thread: intermediate values are
        // reported at once, and a pruned or failed trial stops the command.
        let output = CommandOutput(output: outputEnd, error: errorEnd, log: log) { line in
            guard !line.isCut, let (step, value) = Self.intermediate(line.text) else { return }
            do {
                try trial.report(value, step: step)
                if try trial.shouldPrune() { stop.stop(because: .pruned) }
            } catch {
                stop.stop(because: .failed(error))
            }
        }
        // Timers run on dispatch queues, so a busy Swift concurrency pool cannot delay them.
        let timer = timeout.map { seconds in
            let deadline = DispatchWorkItem { stop.stop(because: .timedOut) }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: deadline)
            return deadline
        }
        let termination = await withTaskCancellationHandler {
            await child.termination()
        } onCancel: {
            stop.stop(because: .interrupted)
        }
        timer?.cancel()
        // The group is gone, so only a process that left it can hold the output open: wait briefly.
        await output.finish(within: 1)
        return try value(name: name, termination: termination, stopReason: stop.reason, output: output)
    }

    /// The trial's value, or the error that ends it.
    private func value(
        name: String, termination: ChildProcess.Termination, stopReason: CommandStop.Reason?, output: CommandOutput
    ) throws -> Double {
        let errors = output.errorTail.isEmpty ? "" : ": \(output.errorTail)"
        switch stopReason {
        case .pruned:
            throw TrialPruned()
        case let .failed(error):
            throw error
        case .timedOut:
            throw Failure(description: "timed out after \(timeout ?? 0) s\(errors)")
        case .interrupted:
            // A command that finished as the interruption came keeps its value.
            guard termination == .exited(status: 0), let value = output.lastLine.flatMap({ Double($0.text) }) else {
                throw CancellationError()
            }
            return value
        case nil:
            break
        }
        switch termination {
        case let .signalled(signal):
            throw Failure(description: "\(name) was killed by signal \(signal)\(errors)")
        case let .exited(status) where status != 0:
            throw Failure(description: "\(name) exited with status \(status)\(errors)")
        case .unknown:
            throw Failure(description: "\(name) ended, but its exit status could not be read\(errors)")
        case .exited:
            break
        }
        guard let line = output.lastLine else { throw Failure(description: "the command printed nothing (the last line must be a number)") }
        guard !line.isCut, let value = Double(line.text) else {
            let shown = line.text.count > 200 || line.isCut ? "'\(line.text.prefix(200))…' (\(line.length) bytes)" : "'\(line.text)'"
            throw Failure(description: "the last output line \(shown) is not a number")
        }
        return value
    }

    /// Parses `step N value V`.
    static func intermediate(_ line: String) -> (Int, Double)? {
        let words = line.split(whereSeparator: \.isWhitespace)
        guard words.count == 4, words[0] == "step", words[2] == "value",
              let step = Int(words[1]), let value = Double(words[3]) else { return nil }
        return (step, value)
    }
}

/// Why a running command was stopped early (the first reason wins), and the stopping itself:
/// the command's process group is terminated once.
private final class CommandStop: Sendable {
    enum Reason {
        case pruned
        case failed(any Error)
        case timedOut
        case interrupted
    }

    private let child: ChildProcess
    private let grace: Double
    private let first = Mutex<Reason?>(nil)

    init(_ child: ChildProcess, grace: Double) {
        self.child = child
        self.grace = grace
    }

    var reason: Reason? { first.withLock { $0 } }

    func stop(because reason: Reason) {
        let isFirst = first.withLock { first in
            guard first == nil else { return false }
            first = reason
            return true
        }
        if isFirst { child.terminate(grace: grace) }
    }
}

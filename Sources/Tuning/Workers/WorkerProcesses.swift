import Foundation

/// Extra copies of the running program started as workers of the same study (`swifttune tune
/// --workers N` starts N − 1 of them and is the N-th itself). They share the terminal's output.
///
/// Each runs in a process group of its own, so a Ctrl-C at the terminal reaches only this
/// process, which passes its signals on with `forward`. Each reads a pipe from this process as
/// its standard input; the pipe ends when this process ends, however it ends (SIGKILL included),
/// so the arguments should make the program stop then (`swifttune worker --stop-when-input-ends`).
public struct WorkerProcesses: Sendable {
    private let children: [ChildProcess]

    /// Starts `count` copies of this program with `arguments`, and `environment` added to this
    /// process's environment.
    public static func launch(count: Int, arguments: [String], environment: [String: String] = [:]) throws -> WorkerProcesses {
        guard count > 0 else { return WorkerProcesses(children: []) }
        let executable = try ExecutableLocation.currentExecutable()
        let environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        var children: [ChildProcess] = []
        for _ in 0..<count {
            do {
                children.append(try ChildProcess.start(
                    executable: executable, arguments: [executable] + arguments, environment: environment, input: .pipe,
                    role: .worker))
            } catch {
                for child in children {
                    child.signalGroup(SIGTERM)
                    child.closeInput()
                }
                throw TuningError.invalidSettings(component: "worker processes", reason: "\(error)")
            }
        }
        return WorkerProcesses(children: children)
    }

    /// Sends `signal` to every worker.
    public func forward(_ signal: Int32) {
        for child in children { child.signalGroup(signal) }
    }

    /// Waits for every worker to exit; returns how many exited with a status other than 0 or
    /// `allowedStatus`, or by a signal.
    public func waitForAll(allowing allowedStatus: Int32? = nil) async -> Int {
        var failures = 0
        for child in children {
            switch await child.termination() {
            case .exited(status: 0): continue
            case let .exited(status) where status == allowedStatus: continue
            default: failures += 1
            }
        }
        return failures
    }
}

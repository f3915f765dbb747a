import Foundation

/// Extra copies of the running program started as workers of the same study (`swifttune tune
/// --workers N` starts N − 1 of them and is the N-th itself). They share the terminal's output.
public struct WorkerProcesses: Sendable {
    private let processes: [Process]

    /// Starts `count` copies of this executable with `arguments`, and `environment` added to this
    /// process's environment.
    public static func launch(count: Int, arguments: [String], environment: [String: String] = [:]) throws -> WorkerProcesses {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var processes: [Process] = []
        for _ in 0..<max(count, 0) {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            do {
                try process.run()
            } catch {
                processes.forEach { $0.terminate() }
                throw TuningError.storage("cannot start a worker process \(executable.path): \(error.localizedDescription)")
            }
            processes.append(process)
        }
        return WorkerProcesses(processes: processes)
    }

    /// Waits for every worker to exit; returns how many exited with an error.
    public func waitForAll() -> Int {
        processes.reduce(0) { failures, process in
            process.waitUntilExit()
            return failures + (process.terminationStatus == 0 && process.terminationReason == .exit ? 0 : 1)
        }
    }
}

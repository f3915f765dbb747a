import CSpawn
import Foundation
import Synchronization

/// A program started in a process group of its own, so that one signal reaches it and everything
/// it starts (`signalGroup`), and nothing it leaves behind outlives it: when it exits, whatever
/// still runs in its group is killed before it is reaped (so its group id cannot have been reused
/// by then).
///
/// A thread of its own waits for each child, so exits are seen however busy the Swift concurrency
/// pool is.
final class ChildProcess: Sendable {
    /// Where one of the child's standard streams goes.
    enum Stream {
        /// This process's own stream.
        case inherit
        /// `/dev/null`.
        case null
        /// A pipe; this process holds the other end (`input`, `output`, `error`).
        case pipe
    }

    /// What happens to the child when this process must stop at once (`killCommandGroups`).
    enum Role {
        /// A command objective: its group is killed.
        case command
        /// A worker process: it is left alone (it is sent the signal itself and stops its own commands).
        case worker
    }

    /// How the child ended.
    enum Termination: Sendable, Equatable {
        case exited(status: Int32)
        case signalled(Int32)
        /// Its exit status could not be read.
        case unknown

        init(waitStatus: Int32) {
            let signal = waitStatus & 0x7f
            self = signal == 0 ? .exited(status: (waitStatus >> 8) & 0xff) : .signalled(signal)
        }
    }

    let pid: pid_t
    /// The write end of the child's standard input, when piped.
    let input: Int32?
    /// The read ends of the child's standard output and error, when piped.
    let output: Int32?
    let error: Int32?
    private let exit = OneTimeEvent<Termination>()
    private let inputOpen: Mutex<Bool>

    /// Children not yet reaped, with their roles. A pid listed here is alive or a zombie, so its
    /// group id is still its own.
    private static let live = Mutex<[pid_t: Role]>([:])
    /// Starts children one at a time, so no child inherits another's pipe ends (on systems
    /// without `pipe2` they become close-on-exec a moment after they are made).
    private static let starting = Mutex(())

    /// Starts `executable` (a path) with `arguments` (the first is the program's own name) and
    /// exactly `environment`, in `workingDirectory` (default: this process's), in a new process
    /// group. Signals this process ignores or blocks are reset for the child.
    static func start(
        executable: String, arguments: [String], environment: [String: String], workingDirectory: String? = nil,
        input: Stream = .null, output: Stream = .inherit, error: Stream = .inherit, role: Role
    ) throws -> ChildProcess {
        try starting.withLock { _ in
            var actions = SpawnActions()
            defer { actions.close() }
            let inputEnd = try actions.connect(STDIN_FILENO, to: input, childReads: true)
            let outputEnd = try actions.connect(STDOUT_FILENO, to: output, childReads: false)
            let errorEnd = try actions.connect(STDERR_FILENO, to: error, childReads: false)
            if let workingDirectory {
                let status = swifttune_spawn_chdir(&actions.fileActions, workingDirectory)
                guard status == 0 else { throw SpawnError(executable: executable, code: status) }
            }
            let pid = try live.withLock { live in
                let pid = try actions.spawn(executable, arguments: arguments, environment: environment)
                live[pid] = role
                return pid
            }
            actions.keepOpen([inputEnd, outputEnd, errorEnd].compactMap { $0 })
            let child = ChildProcess(pid: pid, input: inputEnd, output: outputEnd, error: errorEnd)
            child.watchForExit()
            return child
        }
    }

    private init(pid: pid_t, input: Int32?, output: Int32?, error: Int32?) {
        self.pid = pid
        self.input = input
        self.output = output
        self.error = error
        inputOpen = Mutex(input != nil)
    }

    /// Waits until the child has exited and its group is gone.
    func termination() async -> Termination {
        await exit.wait()
    }

    /// How the child ended, if it has.
    var terminated: Termination? { exit.value }

    /// Sends `signal` to the child's process group, unless the child has been reaped.
    func signalGroup(_ signal: Int32) {
        Self.live.withLock { live in
            if live[pid] != nil { _ = killpg(pid, signal) }
        }
    }

    /// Asks the group to stop (SIGTERM), and kills it (SIGKILL) if the child has not exited
    /// `grace` seconds later.
    func terminate(grace: Double) {
        signalGroup(SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [self] in
            signalGroup(SIGKILL)
        }
    }

    /// Closes this process's end of the child's standard input, which then reads end of file.
    func closeInput() {
        let close = inputOpen.withLock { open in
            defer { open = false }
            return open
        }
        if close, let input { _ = Foundation.close(input) }
    }

    /// Kills the process group of every live command (a second Ctrl-C: stop at once).
    static func killCommandGroups() {
        live.withLock { live in
            for (pid, role) in live where role == .command { _ = killpg(pid, SIGKILL) }
        }
    }

    /// Waits on a thread of its own for the child to exit; then kills what is left of its group
    /// and reaps it.
    private func watchForExit() {
        let pid = pid, exit = exit
        Thread.detachNewThread {
            var info = siginfo_t()
            // WNOWAIT: the child stays a zombie, so its pid (the group id) is not reused while the
            // group is killed.
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0, errno == EINTR {}
            Self.live.withLock { live in
                _ = killpg(pid, SIGKILL)
                live[pid] = nil
            }
            var status: Int32 = 0
            var reaped: pid_t
            repeat { reaped = waitpid(pid, &status, 0) } while reaped == -1 && errno == EINTR
            exit.fire(reaped == pid ? Termination(waitStatus: status) : .unknown)
        }
    }
}

/// Why a program could not be started.
struct SpawnError: Error, CustomStringConvertible {
    let executable: String
    let code: Int32

    var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
}

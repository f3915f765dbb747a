import Foundation
import Synchronization

/// How `swifttune tune` and `swifttune worker` stop on SIGINT (Ctrl-C) and SIGTERM.
///
/// The first signal cancels the work started with `run`: no more trials are asked for, running
/// commands are stopped (their whole process groups) and their trials recorded as interrupted,
/// and `run` returns so the caller can print its summary and exit with `exitStatus`. A second
/// signal ends the process at once, after killing the process group of every running command.
/// Actions added with `onSignal` see every signal first (to forward it to worker processes).
public final class Interruption: Sendable {
    /// The exit status of an interrupted run (128 + SIGINT, as shells report Ctrl-C).
    public static let exitStatus: Int32 = 130

    private struct State {
        var signals = 0
        var first: Int32?
        var actions: [@Sendable (Int32) -> Void] = []
        var cancelWork: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())
    /// Kept only to keep the signal sources alive; never read.
    nonisolated(unsafe) private var sources: [any DispatchSourceSignal] = []

    private init() {}

    /// Starts handling SIGINT and SIGTERM in this process (their default actions no longer apply).
    public static func install() -> Interruption {
        let interruption = Interruption()
        interruption.sources = [SIGINT, SIGTERM].map { signalNumber in
            // A signal source sees a signal only once its default action (ending the process) is off.
            Foundation.signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: DispatchQueue.global())
            // Signals that arrive before the handler runs are counted in `data`, not delivered apart.
            source.setEventHandler { [source] in
                for _ in 0..<max(Int(source.data), 1) { interruption.receive(signalNumber) }
            }
            source.resume()
            return source
        }
        return interruption
    }

    /// The first signal received (SIGTERM when standard input ended), if any.
    public var signal: Int32? { state.withLock { $0.first } }

    /// Runs `action` with every signal received from now on, before stopping; at once with the
    /// first signal if one came already.
    public func onSignal(_ action: @escaping @Sendable (Int32) -> Void) {
        let earlier = state.withLock { state in
            state.actions.append(action)
            return state.first
        }
        if let earlier { action(earlier) }
    }

    /// Runs `work` in a task that the first signal cancels (at once if one came already).
    public func run<Result: Sendable>(_ work: @escaping @Sendable () async throws -> Result) async throws -> Result {
        let task = Task { try await work() }
        let stopped = state.withLock { state in
            state.cancelWork = { task.cancel() }
            return state.signals > 0
        }
        if stopped { task.cancel() }
        return try await task.value
    }

    /// Reads standard input on a thread of its own and, when it ends, stops as on SIGTERM. A
    /// worker process started by `tune --workers` reads a pipe from its parent, which ends when
    /// the parent does, however it ends.
    public func stopWhenInputEnds() {
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 512)
            while true {
                let count = read(STDIN_FILENO, &buffer, buffer.count)
                if count > 0 || (count < 0 && errno == EINTR) { continue }
                break
            }
            receive(SIGTERM)
        }
    }

    private func receive(_ signal: Int32) {
        let (count, actions, cancelWork) = state.withLock { state in
            state.signals += 1
            if state.first == nil { state.first = signal }
            return (state.signals, state.actions, state.cancelWork)
        }
        for action in actions { action(signal) }
        if count == 1 {
            cancelWork?()
        } else {
            ChildProcess.killCommandGroups()
            // `_exit`, not `exit`: exit handlers and static destructors would run while the other
            // threads still use what they tear down (a crash, signal 11, instead of status 130).
            fflush(nil)
            _exit(Self.exitStatus)
        }
    }
}

import Dispatch
import Synchronization

/// Something that happens once (a process exits, an output ends), set from any thread and awaited
/// by tasks, with or without a time limit.
///
/// Waiting does not depend on the Swift concurrency pool being free or on the task not being
/// cancelled: time limits run on dispatch queues, and a cancelled task waits like any other.
final class OneTimeEvent<Value: Sendable>: Sendable {
    private enum Waiter {
        case untimed(CheckedContinuation<Value, Never>)
        case timed(CheckedContinuation<Value?, Never>)

        func resume(_ value: Value) {
            switch self {
            case let .untimed(continuation): continuation.resume(returning: value)
            case let .timed(continuation): continuation.resume(returning: value)
            }
        }
    }

    private struct State {
        var value: Value?
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0

        /// Adds a waiter unless the event has happened.
        mutating func add(_ waiter: Waiter) -> Registration {
            if let value { return .happened(value) }
            nextWaiter += 1
            waiters[nextWaiter] = waiter
            return .waiting(key: nextWaiter)
        }
    }

    private enum Registration {
        case waiting(key: Int)
        case happened(Value)
    }

    private let state = Mutex(State())

    /// Records the value and wakes every waiter; later calls are ignored.
    func fire(_ value: Value) {
        let waiters = state.withLock { state -> [Waiter] in
            guard state.value == nil else { return [] }
            state.value = value
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(value) }
    }

    /// The value, if the event has happened.
    var value: Value? { state.withLock { $0.value } }

    /// Waits until the event happens.
    func wait() async -> Value {
        await withCheckedContinuation { continuation in
            if case let .happened(value) = state.withLock({ $0.add(.untimed(continuation)) }) {
                continuation.resume(returning: value)
            }
        }
    }

    /// Waits until the event happens, or `seconds` have passed (then returns nil).
    func wait(upTo seconds: Double) async -> Value? {
        await withCheckedContinuation { continuation in
            switch state.withLock({ $0.add(.timed(continuation)) }) {
            case let .happened(value):
                continuation.resume(returning: value)
            case let .waiting(key):
                DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                    let expired = self.state.withLock { $0.waiters.removeValue(forKey: key) }
                    if case let .timed(continuation) = expired { continuation.resume(returning: nil) }
                }
            }
        }
    }
}

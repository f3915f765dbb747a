import Foundation

/// The first error thrown in the chunks of a parallel loop, whose bodies cannot throw: each
/// chunk records its error, and the caller rethrows after the loop.
final class FirstError: @unchecked Sendable {
    private var error: (any Error)?
    private let lock = NSLock()

    /// Keeps `error` unless one was recorded before.
    func record(_ error: any Error) {
        lock.withLock { self.error = self.error ?? error }
    }

    /// Throws the recorded error, if any.
    func rethrow() throws {
        if let error = lock.withLock({ error }) { throw error }
    }
}

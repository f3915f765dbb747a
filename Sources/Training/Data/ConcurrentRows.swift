import Dispatch
import Foundation

/// Runs independent per-row work on all cores: the rows of a batch whose samples are decoded
/// from files or augmented, each written to its own part of the batch.
enum ConcurrentRows {
    /// Calls `body` for each row in `0..<count`, concurrently; throws the error of the first
    /// failing row (by index), so the error does not depend on timing.
    static func forEach(_ count: Int, _ body: (Int) throws -> Void) throws {
        let failures = FirstFailure()
        withoutActuallyEscaping(body) { body in
            // The rows share nothing they write: each writes its own part of the batch.
            nonisolated(unsafe) let work = body
            DispatchQueue.concurrentPerform(iterations: count) { row in
                do {
                    try work(row)
                } catch {
                    failures.record(error, row: row)
                }
            }
        }
        if let error = failures.error { throw error }
    }
}

/// The error of the lowest failing row.
private final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var row = Int.max
    private var stored: (any Error)?

    func record(_ error: any Error, row: Int) {
        lock.lock()
        defer { lock.unlock() }
        if row < self.row {
            self.row = row
            stored = error
        }
    }

    var error: (any Error)? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

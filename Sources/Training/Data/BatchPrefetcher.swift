import Foundation

/// Assembles the batches of one pass over a data set on a thread of its own, up to `depth`
/// batches ahead of the consumer, so gathering and augmentation overlap with the training step.
/// The batches come out in order, identical to assembling them one by one; an error in a batch
/// comes out in its place. Dropping the prefetcher stops its thread after the batch in hand.
public final class BatchPrefetcher {
    private let queue: PrefetchQueue

    /// Starts assembling `batches` (sample indices per batch) of epoch `epoch`.
    public init(_ loader: DataLoader, batches: [[Int]], epoch: Int, depth: Int = 2) {
        let queue = PrefetchQueue(depth: max(depth, 1))
        self.queue = queue
        let thread = Thread {
            for indices in batches {
                let batch = Result { try loader.makeHostBatch(indices, epoch: epoch) }
                guard queue.put(batch) else { return }
            }
            queue.finish()
        }
        thread.name = "swifttune batch prefetch"
        thread.start()
    }

    deinit { queue.cancel() }

    /// The next batch, waiting for it if it is not assembled yet; nil after the last.
    public func next() throws -> HostBatch? {
        try queue.take()?.get()
    }
}

/// The bounded hand-over between the prefetch thread and the consumer.
private final class PrefetchQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private let depth: Int
    private var ready: [Result<HostBatch, any Error>] = []
    private var isFinished = false
    private var isCancelled = false

    init(depth: Int) { self.depth = depth }

    /// Hands over one batch, waiting while `depth` are waiting already; false once cancelled.
    func put(_ batch: Result<HostBatch, any Error>) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= depth, !isCancelled { condition.wait() }
        guard !isCancelled else { return false }
        ready.append(batch)
        condition.broadcast()
        return true
    }

    /// The producer has handed over every batch.
    func finish() {
        condition.lock()
        isFinished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer has gone: the producer stops at its next hand-over.
    func cancel() {
        condition.lock()
        isCancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The oldest batch, waiting for one; nil when the producer has finished and none is left.
    func take() -> Result<HostBatch, any Error>? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty, !isFinished { condition.wait() }
        guard !ready.isEmpty else { return nil }
        let batch = ready.removeFirst()
        condition.broadcast()
        return batch
    }
}

import Dispatch
import Foundation

extension CPUDevice {
    /// Runs `body` over `0..<count` split into contiguous chunks, one chunk per thread.
    /// Small loops (below `grain` items) run on the calling thread. With `chunksPerThread > 1`,
    /// the loop is cut into more, smaller chunks that the threads take as they become free, which
    /// evens out the load when other processes share the cores. At most `threadCount` threads run.
    func parallelFor(_ count: Int, grain: Int = 16_384, chunksPerThread: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(threadCount * max(1, chunksPerThread), max(1, count / max(grain, 1)))
        let workers = min(threadCount, chunks)
        if workers <= 1 {
            body(0..<count)
            return
        }
        let per = (count + chunks - 1) / chunks
        let queue = ChunkQueue(count: chunks)
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let chunk = queue.next() {
                    let start = chunk * per
                    let end = min(count, start + per)
                    if start < end { work.value(start..<end) }
                }
            }
        }
    }
}

/// Hands out the chunk indices `0..<count` of one parallel loop, each once.
private final class ChunkQueue: @unchecked Sendable {
    private let count: Int
    private var taken = 0
    private let lock = NSLock()

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.withLock {
            guard taken < count else { return nil }
            taken += 1
            return taken - 1
        }
    }
}

/// Lets a parallel loop share a closure whose captures (raw pointers into disjoint ranges) the
/// caller keeps race-free.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

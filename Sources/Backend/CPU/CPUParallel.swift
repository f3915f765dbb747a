import Foundation
import Synchronization

extension CPUDevice {
    /// Runs `body` over `0..<count` split into contiguous chunks, one chunk per thread.
    /// Small loops (below `grain` items) run on the calling thread. With `chunksPerThread > 1`,
    /// the loop is cut into more, smaller chunks that the threads take as they become free, which
    /// evens out the load when other processes share the cores. At most `threadCount` threads run.
    ///
    /// The threads are the step team's (`CPUStepTeam`): a training step runs thousands of these
    /// loops, a fraction of a millisecond each, and a helper that spins between them starts the
    /// next at once where a dispatch would wake a sleeping thread each time. A loop started while
    /// the team is busy (a loop inside a loop, or another thread's) runs on the calling thread.
    func parallelFor(_ count: Int, grain: Int = 16_384, chunksPerThread: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(threadCount * max(1, chunksPerThread), max(1, count / max(grain, 1)))
        if min(threadCount, chunks) <= 1 {
            body(0..<count)
            return
        }
        let per = (count + chunks - 1) / chunks
        let queue = ChunkQueue(count: chunks)
        stepTeam.run { _ in
            while let chunk = queue.next() {
                let start = chunk * per
                let end = min(count, start + per)
                if start < end { body(start..<end) }
            }
        }
    }
}

/// Hands out the chunk indices `0..<count` of one parallel loop, each once.
private final class ChunkQueue: Sendable {
    private let count: Int
    private let taken = Atomic<Int>(0)

    init(count: Int) { self.count = count }

    func next() -> Int? {
        let chunk = taken.add(1, ordering: .relaxed).oldValue
        return chunk < count ? chunk : nil
    }
}

/// Lets a parallel loop share a closure whose captures (raw pointers into disjoint ranges) the
/// caller keeps race-free.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

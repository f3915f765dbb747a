import Dispatch

extension CPUDevice {
    /// Runs `body` over `0..<count` split into contiguous chunks, one chunk per thread.
    /// Small loops (below `grain` items) run on the calling thread. With `chunksPerThread > 1`,
    /// the loop is cut into more, smaller chunks that threads take as they become free, which
    /// evens out the load when other processes share the cores.
    func parallelFor(_ count: Int, grain: Int = 16_384, chunksPerThread: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(threadCount * max(1, chunksPerThread), max(1, count / max(grain, 1)))
        if chunks <= 1 {
            body(0..<count)
            return
        }
        let per = (count + chunks - 1) / chunks
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = chunk * per
                let end = min(count, start + per)
                if start < end { work.value(start..<end) }
            }
        }
    }
}

/// Lets a parallel loop share a closure whose captures (raw pointers into disjoint ranges) the
/// caller keeps race-free.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

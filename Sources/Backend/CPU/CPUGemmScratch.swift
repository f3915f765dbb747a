import Foundation

/// Aligned host buffers for packed GEMM operands, kept between calls so that a warm GEMM
/// allocates nothing. Each concurrent chunk takes its own buffer, so the pool holds about as
/// many buffers as chunks ever ran at once.
final class GemmScratch: @unchecked Sendable {
    /// Packed A blocks (`GemmBlocking.rows × depth`, about 150 KB each).
    static let packedA = GemmScratch()
    /// Packed B panels (`depth × GemmBlocking.columns`, up to 4 MB each).
    static let packedB = GemmScratch()
    /// The per-segment products of a GEMM split by depth (`CPUDevice.splitDepthGemm`).
    static let partials = GemmScratch()

    /// Buffers kept at most; a larger surplus is freed, smallest first.
    private let limit = 16
    private var spare: [CPUBuffer] = []
    private let lock = NSLock()

    /// Runs `body` with a buffer of at least `count` floats (64-byte aligned); throws
    /// `BackendError.outOfMemory` when there is none and the system refuses a new one.
    func withBuffer<Result>(count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> Result) throws -> Result {
        let buffer = try lock.withLock {
            if let index = spare.lastIndex(where: { $0.count >= count }) {
                return spare.remove(at: index)
            }
            return try CPUBuffer(count: count)
        }
        defer {
            lock.withLock {
                spare.append(buffer)
                if spare.count > limit, let smallest = spare.indices.min(by: { spare[$0].count < spare[$1].count }) {
                    spare.remove(at: smallest)
                }
            }
        }
        return try body(buffer.pointer)
    }
}

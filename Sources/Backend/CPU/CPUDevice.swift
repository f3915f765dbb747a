import Foundation
import Synchronization

/// The CPU device: Swift SIMD loops spread over all cores, the GEMM kernels in C.
public final class CPUDevice: Device, @unchecked Sendable {
    public let kind = DeviceKind.cpu
    public let identifier = "cpu"
    public let name: String
    public let pool: BufferPool
    /// Worker threads the parallel loops use.
    public let threadCount: Int
    private let counting = DeviceCounting(countsLaunches: false)
    /// The threads of loops of short parallel steps (`stepTeam`), started on first use.
    private let stepTeamSlot = Mutex<CPUStepTeam?>(nil)

    /// The process-wide CPU device.
    public static let shared = CPUDevice()

    /// A CPU device using `threads` threads (all active cores by default) whose tensors hold at
    /// most `memoryLimitBytes` together (by default what the process may use: physical memory,
    /// its cgroup's limit and `ulimit -v`, whichever is least).
    public init(threads: Int? = nil, memoryLimitBytes: Int? = nil) {
        threadCount = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        name = CPUInfo.current.modelName
        let memory = memoryLimitBytes ?? HostMemory.limitBytes()
        pool = BufferPool(deviceName: "cpu", capacityBytes: memory, maxBufferBytes: memory) { count in
            try CPUBuffer(count: count)
        }
    }

    deinit { stepTeamSlot.withLock { $0?.stop() } }

    /// The team of `threadCount` threads for loops of short parallel steps (`CPUStepTeam`).
    var stepTeam: CPUStepTeam {
        stepTeamSlot.withLock { slot in
            if let team = slot { return team }
            let team = CPUStepTeam(size: threadCount)
            slot = team
            return team
        }
    }

    public func write(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer, offset: Int) throws {
        let target = try host(buffer, op: "write")
        try checkRange(op: "write", offset: offset, count: values.count, bufferCount: target.count)
        guard let base = values.baseAddress else { return }
        (target.pointer + offset).update(from: base, count: values.count)
        counting.upload(bytes: values.count * MemoryLayout<Float>.stride)
    }

    public func read(_ buffer: any DeviceBuffer, offset: Int, into destination: UnsafeMutableBufferPointer<Float>) throws {
        let source = try host(buffer, op: "read")
        try checkRange(op: "read", offset: offset, count: destination.count, bufferCount: source.count)
        guard let base = destination.baseAddress else { return }
        base.update(from: source.pointer + offset, count: destination.count)
        counting.download(bytes: destination.count * MemoryLayout<Float>.stride)
    }

    public func copyBlocks(
        _ source: any DeviceBuffer, offset sourceOffset: Int, stride sourceStride: Int, to destination: any DeviceBuffer,
        offset destinationOffset: Int, stride destinationStride: Int, length: Int, blocks: Int
    ) throws {
        let from = try host(source, op: "copyBlocks")
        let to = try host(destination, op: "copyBlocks")
        try checkBlockCopy(
            from: (sourceOffset, sourceStride, from.count), to: (destinationOffset, destinationStride, to.count), length: length,
            blocks: blocks)
        guard length > 0 else { return }
        // Large copies (a sequence's gradient of megabytes) in parallel pieces of whole blocks or
        // of one block.
        let pieces = blocks == 1 ? max(1, length / Self.copyPiece) : blocks
        let piece = blocks == 1 ? (length + pieces - 1) / pieces : length
        parallelFor(pieces, grain: max(1, Self.copyPiece / piece)) { range in
            for index in range {
                let (block, start) = blocks == 1 ? (0, index * piece) : (index, 0)
                let count = max(0, min(piece, length - start))
                (to.pointer + destinationOffset + block * destinationStride + start)
                    .update(from: from.pointer + sourceOffset + block * sourceStride + start, count: count)
            }
        }
    }

    /// Elements a thread copies at least in `copyBlocks` (1 MiB).
    private static let copyPiece = 1 << 18

    /// Ops run inline, so nothing is launched; reads and `synchronize()` still count as waits.
    public var counters: DeviceCounters { counting.snapshot }

    public func synchronize() throws { counting.synchronization() }

    func host(_ buffer: any DeviceBuffer, op: String) throws -> CPUBuffer {
        guard let host = buffer as? CPUBuffer else {
            throw BackendError.deviceMismatch(op: op, expected: identifier, found: "another device")
        }
        return host
    }

    /// The host pointer of a tensor of this device.
    func pointer(_ tensor: Tensor, op: String) throws -> UnsafeMutablePointer<Float> {
        try checkOwnership(tensor, op: op)
        return try host(tensor.buffer, op: op).pointer
    }
}

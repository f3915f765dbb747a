import Foundation

/// The pure-Swift device: SIMD loops spread over all cores.
public final class CPUDevice: Device, @unchecked Sendable {
    public let kind = DeviceKind.cpu
    public let identifier = "cpu"
    public let name: String
    public let pool: BufferPool
    /// Worker threads the parallel loops use.
    public let threadCount: Int

    /// The process-wide CPU device.
    public static let shared = CPUDevice()

    /// A CPU device using `threads` threads (all active cores by default).
    public init(threads: Int? = nil) {
        threadCount = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        name = CPUInfo.current.modelName
        let memory = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        pool = BufferPool(deviceName: "cpu", capacityBytes: memory, maxBufferBytes: memory) { count in
            CPUBuffer(count: count)
        }
    }

    public func write(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer) throws {
        let target = try host(buffer, op: "write")
        guard values.count == target.count else {
            throw BackendError.shapeMismatch(op: "write", detail: "\(values.count) values into a buffer of \(target.count)")
        }
        if let base = values.baseAddress { target.pointer.update(from: base, count: values.count) }
    }

    public func read(_ buffer: any DeviceBuffer, into destination: UnsafeMutableBufferPointer<Float>) throws {
        let source = try host(buffer, op: "read")
        guard destination.count == source.count else {
            throw BackendError.shapeMismatch(op: "read", detail: "buffer of \(source.count) into \(destination.count) values")
        }
        if let base = destination.baseAddress { base.update(from: source.pointer, count: source.count) }
    }

    public func copy(_ source: any DeviceBuffer, to destination: any DeviceBuffer, count: Int) throws {
        let from = try host(source, op: "copy")
        let to = try host(destination, op: "copy")
        guard count <= from.count, count <= to.count else {
            throw BackendError.shapeMismatch(op: "copy", detail: "\(count) elements between buffers of \(from.count) and \(to.count)")
        }
        to.pointer.update(from: from.pointer, count: count)
    }

    public func synchronize() throws {}

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

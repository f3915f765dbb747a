/// Where a device's ops run.
public enum DeviceKind: String, Sendable, Codable {
    case cpu
    case opencl
}

/// What every device provides besides its ops: memory, transfers and synchronization.
public protocol DeviceCore: AnyObject, Sendable {
    /// `cpu` or `opencl`.
    var kind: DeviceKind { get }
    /// The selector that picks this device again, e.g. `cpu` or `opencl:0`.
    var identifier: String { get }
    /// A human-readable name, e.g. the OpenCL device name.
    var name: String { get }
    /// The pool all tensors on this device draw their memory from.
    var pool: BufferPool { get }
    /// Copies host values into a buffer of this device, from element `offset` on. Returns once
    /// `values` may be reused; the copy itself may still be queued (an OpenCL device stages the
    /// values and does not wait for the device).
    func write(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer, offset: Int) throws
    /// Copies `destination.count` values of a buffer of this device, from element `offset` on, to
    /// host memory. The host waits for every op queued before it.
    func read(_ buffer: any DeviceBuffer, offset: Int, into destination: UnsafeMutableBufferPointer<Float>) throws
    /// Copies `blocks` runs of `length` values within or between buffers of this device: run `b`
    /// from element `sourceOffset + b · sourceStride` of `source` to element
    /// `destinationOffset + b · destinationStride` of `destination`, in queue order (no host
    /// wait). Joining or splitting tensors along an inner axis is one such copy per part.
    func copyBlocks(
        _ source: any DeviceBuffer, offset sourceOffset: Int, stride sourceStride: Int, to destination: any DeviceBuffer,
        offset destinationOffset: Int, stride destinationStride: Int, length: Int, blocks: Int) throws
    /// What the device has been asked to do since it was opened (launches, waits, transfers).
    var counters: DeviceCounters { get }
    /// Waits until every op queued so far has finished.
    func synchronize() throws
}

/// The full op set. Each op family is its own protocol, declared in `Core/<Family>.swift`;
/// `CPUDevice` and `OpenCLDevice` implement every family.
public protocol Device:
    DeviceCore, GemmOps, ElementwiseOps, ReductionOps, RandomOps, OptimizerOps, LossOps, PoolOps, ConvolutionOps,
    LayoutOps, GroupedConvolutionOps, EmbeddingOps, RecurrentOps, NormalizationOps, LayerNormalizationOps
{}

extension DeviceCore {
    /// Copies host values into the whole of a buffer (`values.count` must equal `buffer.count`).
    public func write(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer) throws {
        guard values.count == buffer.count else {
            throw BackendError.shapeMismatch(op: "write", detail: "\(values.count) values into a buffer of \(buffer.count)")
        }
        try write(values, to: buffer, offset: 0)
    }

    /// Copies a whole buffer to host memory (`destination.count` must equal `buffer.count`).
    public func read(_ buffer: any DeviceBuffer, into destination: UnsafeMutableBufferPointer<Float>) throws {
        guard destination.count == buffer.count else {
            throw BackendError.shapeMismatch(op: "read", detail: "buffer of \(buffer.count) into \(destination.count) values")
        }
        try read(buffer, offset: 0, into: destination)
    }

    /// Copies `count` values between two buffers of this device, from element `sourceOffset` of
    /// `source` to element `destinationOffset` of `destination`, in queue order (no host wait):
    /// a `copyBlocks` of one run.
    public func copy(
        _ source: any DeviceBuffer, offset sourceOffset: Int = 0, to destination: any DeviceBuffer,
        offset destinationOffset: Int = 0, count: Int
    ) throws {
        try copyBlocks(
            source, offset: sourceOffset, stride: count, to: destination, offset: destinationOffset, stride: count, length: count,
            blocks: 1)
    }

    /// Checks both sides of a `copyBlocks`: (offset, stride, buffer count) of source and destination.
    func checkBlockCopy(
        from source: (offset: Int, stride: Int, count: Int), to destination: (offset: Int, stride: Int, count: Int), length: Int,
        blocks: Int
    ) throws {
        for side in [source, destination] {
            try checkBlocks(
                op: "copyBlocks", offset: side.offset, stride: side.stride, length: length, blocks: blocks, bufferCount: side.count)
        }
    }

    /// Checks that `blocks` runs of `length` elements, `stride` apart from `offset` on, lie inside
    /// a buffer of `bufferCount`, and that runs of one side do not overlap.
    private func checkBlocks(op: String, offset: Int, stride: Int, length: Int, blocks: Int, bufferCount: Int) throws {
        guard length >= 0, blocks >= 0, stride >= length || blocks <= 1 else {
            throw BackendError.invalidArgument(
                op: op, detail: "\(blocks) runs of \(length) elements \(stride) apart overlap (or a size is negative)")
        }
        guard blocks > 0, length > 0 else { return }
        let (span, overflow) = stride.multipliedReportingOverflow(by: blocks - 1)
        guard !overflow else { throw BackendError.shapeMismatch(op: op, detail: "\(blocks) runs \(stride) apart overflow") }
        try checkRange(op: op, offset: offset, count: span + length, bufferCount: bufferCount)
    }

    /// Checks that `count` elements from `offset` on lie inside a buffer of `bufferCount`.
    func checkRange(op: String, offset: Int, count: Int, bufferCount: Int) throws {
        guard offset >= 0, count >= 0, offset <= bufferCount, count <= bufferCount - offset else {
            throw BackendError.shapeMismatch(
                op: op, detail: "\(count) elements from element \(offset) do not fit a buffer of \(bufferCount)")
        }
    }

    /// Checks that `tensor` lives on this device.
    func checkOwnership(_ tensor: Tensor, op: String) throws {
        guard tensor.device === self else {
            let other = tensor.device.identifier
            throw BackendError.deviceMismatch(
                op: op, expected: identifier, found: other == identifier ? "another instance of \(other)" : other)
        }
    }

    /// Checks that every tensor lives on this device.
    func checkOwnership(of tensors: [Tensor], op: String) throws {
        for tensor in tensors { try checkOwnership(tensor, op: op) }
    }
}

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
    /// Copies host values into a buffer of this device (`values.count` must equal `buffer.count`).
    func write(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer) throws
    /// Copies a buffer of this device to host memory (`destination.count` must equal `buffer.count`).
    func read(_ buffer: any DeviceBuffer, into destination: UnsafeMutableBufferPointer<Float>) throws
    /// Copies `count` values between two buffers of this device.
    func copy(_ source: any DeviceBuffer, to destination: any DeviceBuffer, count: Int) throws
    /// Waits until every op queued so far has finished.
    func synchronize() throws
}

/// The full op set. Each op family is its own protocol, declared in `Core/<Family>.swift`;
/// `CPUDevice` and `OpenCLDevice` implement every family.
public protocol Device:
    DeviceCore, GemmOps, ElementwiseOps, ReductionOps, RandomOps, OptimizerOps, LossOps, PoolOps, ConvolutionOps
{}

extension DeviceCore {
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

/// Every failure the backend reports. Messages name what was wrong and where.
public enum BackendError: Error, Equatable, CustomStringConvertible, Sendable {
    /// An OpenCL call returned an error code.
    case openCL(call: String, code: Int32)
    /// A CLBlast routine returned a non-success status.
    case clblast(call: String, status: Int32)
    /// An OpenCL program failed to compile; carries the kernel family and the compiler log.
    case kernelBuild(name: String, log: String)
    /// The OpenCL C source of a kernel family could not be found or read.
    case kernelSourceMissing(name: String, searched: [String])
    /// No OpenCL runtime or no platform is available.
    case openCLUnavailable(reason: String)
    /// A requested device does not exist.
    case unknownDevice(requested: String, available: [String])
    /// An allocation larger than what the device can give.
    case outOfMemory(device: String, requestedBytes: Int, availableBytes: Int)
    /// Tensor shapes that do not fit the op.
    case shapeMismatch(op: String, detail: String)
    /// A tensor that lives on another device than the one running the op.
    case deviceMismatch(op: String, expected: String, found: String)
    /// Any other invalid argument.
    case invalidArgument(op: String, detail: String)

    public var description: String {
        switch self {
        case let .openCL(call, code):
            return "OpenCL call \(call) failed with \(OpenCLErrorName.name(of: code)) (\(code))"
        case let .clblast(call, status):
            return "CLBlast routine \(call) failed with status \(status)"
        case let .kernelBuild(name, log):
            return "OpenCL kernel '\(name)' failed to build:\n\(log)"
        case let .kernelSourceMissing(name, searched):
            return "OpenCL kernel source '\(name).cl' not found; looked in: \(searched.joined(separator: ", ")) (set SWIFTTUNE_KERNELS to the Kernels/ folder)"
        case let .openCLUnavailable(reason):
            return "OpenCL is not available: \(reason)"
        case let .unknownDevice(requested, available):
            return "no device '\(requested)'; available: \(available.joined(separator: ", "))"
        case let .outOfMemory(device, requested, available):
            return "out of memory on \(device): asked for \(ByteCount.format(requested)), \(ByteCount.format(available)) available"
        case let .shapeMismatch(op, detail):
            return "\(op): shape mismatch: \(detail)"
        case let .deviceMismatch(op, expected, found):
            return "\(op): tensor lives on \(found), but the op runs on \(expected)"
        case let .invalidArgument(op, detail):
            return "\(op): \(detail)"
        }
    }
}

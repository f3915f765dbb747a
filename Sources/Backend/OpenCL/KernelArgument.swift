import COpenCL

/// One argument of a kernel launch.
enum KernelArgument {
    case tensor(Tensor)
    case buffer(OpenCLBuffer)
    case int(Int32)
    case float(Float)
    /// An OpenCL `int8` vector (up to 8 values; missing ones are 0).
    case int8([Int32])
    /// Local memory of the given size in bytes.
    case local(bytes: Int)
}

extension KernelArgument {
    /// Shorthand for an `int` argument from a Swift `Int`.
    static func size(_ value: Int) -> KernelArgument { .int(Int32(clamping: value)) }

    /// Shorthand for a `uint` argument (passed by its bit pattern).
    static func word(_ value: UInt32) -> KernelArgument { .int(Int32(bitPattern: value)) }

    func set(on kernel: cl_kernel, index: cl_uint, name: String) throws {
        let status: cl_int
        switch self {
        case let .tensor(tensor):
            guard let buffer = tensor.buffer as? OpenCLBuffer else {
                throw BackendError.deviceMismatch(op: name, expected: "opencl", found: tensor.device.identifier)
            }
            var mem: cl_mem? = buffer.mem
            status = clSetKernelArg(kernel, index, MemoryLayout<cl_mem>.size, &mem)
        case let .buffer(buffer):
            var mem: cl_mem? = buffer.mem
            status = clSetKernelArg(kernel, index, MemoryLayout<cl_mem>.size, &mem)
        case let .int(value):
            var copy = value
            status = clSetKernelArg(kernel, index, MemoryLayout<Int32>.size, &copy)
        case let .float(value):
            var copy = value
            status = clSetKernelArg(kernel, index, MemoryLayout<Float>.size, &copy)
        case let .int8(values):
            var lanes = Array(values.prefix(8)) + Array(repeating: Int32(0), count: max(0, 8 - values.count))
            status = clSetKernelArg(kernel, index, 8 * MemoryLayout<Int32>.size, &lanes)
        case let .local(bytes):
            status = clSetKernelArg(kernel, index, bytes, nil)
        }
        try checkCL(status, "clSetKernelArg(\(name), arg \(index))")
    }
}

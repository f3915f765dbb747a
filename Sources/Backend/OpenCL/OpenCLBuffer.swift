import COpenCL

/// A `cl_mem` holding Float32 values; released when the last reference goes.
public final class OpenCLBuffer: DeviceBuffer, @unchecked Sendable {
    public let count: Int
    let mem: cl_mem

    init(context: cl_context, count: Int) throws {
        var status: cl_int = CL_SUCCESS
        let bytes = count * MemoryLayout<Float>.size
        guard let mem = clCreateBuffer(context, cl_mem_flags(CL_MEM_READ_WRITE), bytes, nil, &status),
              status == CL_SUCCESS
        else {
            if status == CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL_OUT_OF_RESOURCES
                || status == CL_INVALID_BUFFER_SIZE || status == CL_OUT_OF_HOST_MEMORY {
                throw BackendError.outOfMemory(device: "OpenCL", requestedBytes: bytes, availableBytes: 0)
            }
            throw BackendError.openCL(call: "clCreateBuffer", code: status)
        }
        self.mem = mem
        self.count = count
    }

    deinit { clReleaseMemObject(mem) }
}

import COpenCL

/// What one OpenCL device reports about itself.
public struct OpenCLDeviceInfo: Sendable, Codable {
    /// Index in the flat list of all devices of all platforms (`opencl:N`).
    public var index: Int
    public var platformName: String
    public var platformVersion: String
    public var name: String
    public var vendor: String
    /// `GPU`, `CPU`, `accelerator` or `other`.
    public var type: String
    public var driverVersion: String
    public var deviceVersion: String
    public var openCLCVersion: String
    public var computeUnits: Int
    public var globalMemoryBytes: Int
    public var maxAllocationBytes: Int
    public var localMemoryBytes: Int
    public var maxWorkGroupSize: Int
    public var supportsFP16: Bool
    public var supportsFP64: Bool

    /// True for a GPU.
    public var isGPU: Bool { type == "GPU" }
}

/// A device found by enumeration, with the handles needed to open it.
struct OpenCLDeviceHandle: @unchecked Sendable {
    var platform: cl_platform_id
    var device: cl_device_id
    var info: OpenCLDeviceInfo
}

/// Enumerates the OpenCL platforms and devices of this machine.
public enum OpenCLRuntime {
    /// Every OpenCL device of every platform, in `opencl:N` order.
    /// Throws `BackendError.openCLUnavailable` when there is no runtime or no platform.
    public static func devices() throws -> [OpenCLDeviceInfo] {
        try handles().map(\.info)
    }

    static func handles() throws -> [OpenCLDeviceHandle] {
        var platformCount: cl_uint = 0
        let status = clGetPlatformIDs(0, nil, &platformCount)
        if status == -1001 || platformCount == 0 {
            throw BackendError.openCLUnavailable(
                reason: "no OpenCL platform is installed (install an ICD such as pocl-opencl-icd or a GPU driver)")
        }
        try checkCL(status, "clGetPlatformIDs")
        var platforms = [cl_platform_id?](repeating: nil, count: Int(platformCount))
        try checkCL(clGetPlatformIDs(platformCount, &platforms, nil), "clGetPlatformIDs")
        var result: [OpenCLDeviceHandle] = []
        for case let platform? in platforms {
            var deviceCount: cl_uint = 0
            let found = clGetDeviceIDs(platform, cl_device_type(CL_DEVICE_TYPE_ALL), 0, nil, &deviceCount)
            if found == CL_DEVICE_NOT_FOUND || deviceCount == 0 { continue }
            try checkCL(found, "clGetDeviceIDs")
            var devices = [cl_device_id?](repeating: nil, count: Int(deviceCount))
            try checkCL(
                clGetDeviceIDs(platform, cl_device_type(CL_DEVICE_TYPE_ALL), deviceCount, &devices, nil),
                "clGetDeviceIDs")
            for case let device? in devices {
                let info = try describe(platform: platform, device: device, index: result.count)
                result.append(OpenCLDeviceHandle(platform: platform, device: device, info: info))
            }
        }
        if result.isEmpty {
            throw BackendError.openCLUnavailable(reason: "the OpenCL platforms report no device")
        }
        return result
    }

    private static func describe(platform: cl_platform_id, device: cl_device_id, index: Int) throws -> OpenCLDeviceInfo {
        let typeBits = try deviceValue(device, cl_device_info(CL_DEVICE_TYPE), as: cl_device_type.self)
        let type: String =
            if typeBits & cl_device_type(CL_DEVICE_TYPE_GPU) != 0 { "GPU" }
            else if typeBits & cl_device_type(CL_DEVICE_TYPE_CPU) != 0 { "CPU" }
            else if typeBits & cl_device_type(CL_DEVICE_TYPE_ACCELERATOR) != 0 { "accelerator" }
            else { "other" }
        let extensions = try deviceString(device, cl_device_info(CL_DEVICE_EXTENSIONS))
        return OpenCLDeviceInfo(
            index: index,
            platformName: try platformString(platform, cl_platform_info(CL_PLATFORM_NAME)),
            platformVersion: try platformString(platform, cl_platform_info(CL_PLATFORM_VERSION)),
            name: try deviceString(device, cl_device_info(CL_DEVICE_NAME)),
            vendor: try deviceString(device, cl_device_info(CL_DEVICE_VENDOR)),
            type: type,
            driverVersion: try deviceString(device, cl_device_info(CL_DRIVER_VERSION)),
            deviceVersion: try deviceString(device, cl_device_info(CL_DEVICE_VERSION)),
            openCLCVersion: try deviceString(device, cl_device_info(CL_DEVICE_OPENCL_C_VERSION)),
            computeUnits: Int(try deviceValue(device, cl_device_info(CL_DEVICE_MAX_COMPUTE_UNITS), as: cl_uint.self)),
            globalMemoryBytes: Int(clamping: try deviceValue(device, cl_device_info(CL_DEVICE_GLOBAL_MEM_SIZE), as: cl_ulong.self)),
            maxAllocationBytes: Int(clamping: try deviceValue(device, cl_device_info(CL_DEVICE_MAX_MEM_ALLOC_SIZE), as: cl_ulong.self)),
            localMemoryBytes: Int(clamping: try deviceValue(device, cl_device_info(CL_DEVICE_LOCAL_MEM_SIZE), as: cl_ulong.self)),
            maxWorkGroupSize: Int(try deviceValue(device, cl_device_info(CL_DEVICE_MAX_WORK_GROUP_SIZE), as: Int.self)),
            supportsFP16: extensions.contains("cl_khr_fp16"),
            supportsFP64: extensions.contains("cl_khr_fp64"))
    }
}

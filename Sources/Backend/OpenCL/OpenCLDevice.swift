import COpenCL
import Foundation

/// An OpenCL device: one context, one in-order queue, kernels from `Kernels/`, GEMM through
/// CLBlast or the project's own kernel.
public final class OpenCLDevice: Device, @unchecked Sendable {
    public let kind = DeviceKind.opencl
    public let identifier: String
    public var name: String { info.name }
    public let info: OpenCLDeviceInfo
    public let pool: BufferPool

    let context: cl_context
    var queue: cl_command_queue
    let deviceID: cl_device_id
    let programs: ProgramLibrary
    /// Serializes kernel argument setting and enqueueing (a `cl_kernel` is not thread-safe).
    let lock = NSRecursiveLock()
    /// Which GEMM path runs and which CLBlast routines failed; guarded by `lock`.
    var gemmRouter: GemmRouter
    /// CLBlast kernels whose tuned parameters (`CLBlastTuning`) CLBlast refused, with its status;
    /// those kernels run with CLBlast's defaults.
    public let clblastTuningRefusals: [String: Int32]
    /// How kernels that walk rows should spread work: true on CPU devices (PoCL), which run a
    /// work-group's items one after another and want each item to read contiguous memory; false
    /// on GPUs, which run them side by side and want neighbouring items on neighbouring addresses.
    var prefersContiguousWork: Bool
    /// Launches, waits and transfers so far (`counters`).
    let counting = DeviceCounting(countsLaunches: true)

    /// Which GEMM implementation runs: `.clblast` or `.kernel` (`.cpu` means `.clblast`).
    /// The default depends on the device type (see `defaultGemmPath(for:)`);
    /// `SWIFTTUNE_GEMM=clblast` or `SWIFTTUNE_GEMM=kernel` overrides it.
    public var gemmPath: GemmPath {
        get { lock.withLock { gemmRouter.preferred } }
        set { lock.withLock { gemmRouter.preferred = newValue == .cpu ? .clblast : newValue } }
    }

    private static let openLock = NSLock()
    nonisolated(unsafe) private static var opened: [Int: OpenCLDevice] = [:]

    /// The device `opencl:index`, opened once per process.
    public static func open(index: Int) throws -> OpenCLDevice {
        try openLock.withLock {
            if let device = opened[index] { return device }
            let device = try openUnshared(index: index)
            opened[index] = device
            return device
        }
    }

    /// The device `opencl:index` with a context, queue, buffer pool and counters of its own, for
    /// work that must not share them with the rest of the process (tests that count launches).
    public static func openUnshared(index: Int) throws -> OpenCLDevice {
        let handles = try OpenCLRuntime.handles()
        guard handles.indices.contains(index) else {
            throw BackendError.unknownDevice(
                requested: "opencl:\(index)", available: ["cpu"] + handles.map { "opencl:\($0.info.index) (\($0.info.name))" })
        }
        return try OpenCLDevice(handle: handles[index])
    }

    /// Opens a device of its own (`open(index:)` shares one per index); `programCache` is where
    /// compiled kernels are kept between processes.
    init(handle: OpenCLDeviceHandle, programCache: ProgramCache = ProgramCache()) throws {
        programs = ProgramLibrary(cache: programCache)
        info = handle.info
        prefersContiguousWork = !handle.info.isGPU
        identifier = "opencl:\(handle.info.index)"
        deviceID = handle.device
        var status: cl_int = CL_SUCCESS
        var properties: [cl_context_properties] = [
            cl_context_properties(CL_CONTEXT_PLATFORM), cl_context_properties(Int(bitPattern: handle.platform)), 0,
        ]
        var device: cl_device_id? = handle.device
        guard let context = clCreateContext(&properties, 1, &device, nil, nil, &status), status == CL_SUCCESS else {
            throw BackendError.openCL(call: "clCreateContext", code: status)
        }
        self.context = context
        guard let queue = clCreateCommandQueue(context, handle.device, 0, &status), status == CL_SUCCESS else {
            clReleaseContext(context)
            throw BackendError.openCL(call: "clCreateCommandQueue", code: status)
        }
        self.queue = queue
        let environmentPath = ProcessInfo.processInfo.environment["SWIFTTUNE_GEMM"].flatMap(GemmPath.init(rawValue:))
        gemmRouter = GemmRouter(preferred: environmentPath ?? Self.defaultGemmPath(for: handle.info))
        clblastTuningRefusals = CLBlastTuning.apply(to: handle.device, info: handle.info)
        let owner = "opencl:\(handle.info.index)"
        let unmanagedContext = UncheckedSendable(context)
        pool = BufferPool(
            deviceName: "\(owner) (\(handle.info.name))",
            capacityBytes: handle.info.globalMemoryBytes,
            maxBufferBytes: handle.info.maxAllocationBytes
        ) { count in
            try OpenCLBuffer(context: unmanagedContext.value, count: count)
        }
    }

    deinit {
        clReleaseCommandQueue(queue)
        clReleaseContext(context)
    }

    // MARK: memory

    /// Stages `values` in host memory of its own and enqueues a non-blocking write from there,
    /// so the host never waits for the queue; the staging memory is freed when the write is done.
    public func write(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer, offset: Int) throws {
        let target = try clBuffer(buffer, op: "write")
        try checkRange(op: "write", offset: offset, count: values.count, bufferCount: target.count)
        guard !values.isEmpty else { return }
        let staging = try UploadStaging(copying: values, for: identifier)
        try lock.withLock {
            var event: cl_event?
            try checkCL(
                clEnqueueWriteBuffer(
                    queue, target.mem, cl_bool(CL_FALSE), offset * 4, values.count * 4, staging.base, 0, nil, &event),
                "clEnqueueWriteBuffer")
            try staging.release(whenComplete: event)
        }
        counting.upload(bytes: values.count * 4)
    }

    public func read(_ buffer: any DeviceBuffer, offset: Int, into destination: UnsafeMutableBufferPointer<Float>) throws {
        let source = try clBuffer(buffer, op: "read")
        try checkRange(op: "read", offset: offset, count: destination.count, bufferCount: source.count)
        guard let base = destination.baseAddress, !destination.isEmpty else { return }
        try lock.withLock {
            try checkCL(
                clEnqueueReadBuffer(queue, source.mem, cl_bool(CL_TRUE), offset * 4, destination.count * 4, base, 0, nil, nil),
                "clEnqueueReadBuffer")
        }
        counting.download(bytes: destination.count * 4)
    }

    /// One `clEnqueueCopyBuffer` when the runs are contiguous on both sides (a plain copy), else
    /// one `clEnqueueCopyBufferRect` whose rows are the runs.
    public func copyBlocks(
        _ source: any DeviceBuffer, offset sourceOffset: Int, stride sourceStride: Int, to destination: any DeviceBuffer,
        offset destinationOffset: Int, stride destinationStride: Int, length: Int, blocks: Int
    ) throws {
        let from = try clBuffer(source, op: "copyBlocks")
        let to = try clBuffer(destination, op: "copyBlocks")
        try checkBlockCopy(
            from: (sourceOffset, sourceStride, from.count), to: (destinationOffset, destinationStride, to.count), length: length,
            blocks: blocks)
        guard length > 0, blocks > 0 else { return }
        let bytes = MemoryLayout<Float>.size
        let contiguous = blocks == 1 || (sourceStride == length && destinationStride == length)
        try lock.withLock {
            if contiguous {
                try checkCL(
                    clEnqueueCopyBuffer(
                        queue, from.mem, to.mem, sourceOffset * bytes, destinationOffset * bytes, length * blocks * bytes, 0, nil, nil),
                    "clEnqueueCopyBuffer")
                return
            }
            var sourceOrigin = [sourceOffset * bytes, 0, 0]
            var destinationOrigin = [destinationOffset * bytes, 0, 0]
            var region = [length * bytes, blocks, 1]
            try checkCL(
                clEnqueueCopyBufferRect(
                    queue, from.mem, to.mem, &sourceOrigin, &destinationOrigin, &region, sourceStride * bytes, 0,
                    destinationStride * bytes, 0, 0, nil, nil),
                "clEnqueueCopyBufferRect")
        }
        counting.launch()
    }

    public func synchronize() throws {
        try lock.withLock { try checkCL(clFinish(queue), "clFinish") }
        counting.synchronization()
    }

    public var counters: DeviceCounters { counting.snapshot }

    func clBuffer(_ buffer: any DeviceBuffer, op: String) throws -> OpenCLBuffer {
        guard let buffer = buffer as? OpenCLBuffer else {
            throw BackendError.deviceMismatch(op: op, expected: identifier, found: "another device")
        }
        return buffer
    }

    // MARK: kernels

    /// Builds `source` as a program named `name` (used by tests and by the kernel families).
    /// Throws `BackendError.kernelBuild` with the compiler log when it does not compile.
    public func buildProgram(named name: String, source: String) throws {
        _ = try programs.program(named: name, source: source, on: self)
    }

    /// Enqueues `kernel` of `family` (the file `Kernels/<family>.cl`) over `global` work-items.
    /// With `local`, `global` is rounded up to a multiple of it, so kernels must bound-check.
    func launch(
        _ family: String, _ kernel: String, global: [Int], local: [Int]? = nil, _ arguments: [KernelArgument]
    ) throws {
        if global.contains(0) { return }
        for case let .tensor(tensor) in arguments {
            // A buffer of another context is undefined behaviour in OpenCL, and kernels index with `int`.
            try checkOwnership(tensor, op: kernel)
            guard tensor.count <= Int(Int32.max) else {
                throw BackendError.invalidArgument(
                    op: kernel, detail: "a tensor of \(tensor.count) elements is more than the kernels can index (\(Int32.max))")
            }
        }
        try lock.withLock {
            let handle = try programs.kernel(kernel, family: family, on: self)
            for (index, argument) in arguments.enumerated() {
                try argument.set(on: handle, index: cl_uint(index), name: kernel)
            }
            var globalSizes = global
            if let local {
                for i in globalSizes.indices { globalSizes[i] = (globalSizes[i] + local[i] - 1) / local[i] * local[i] }
            }
            var localSizes = local ?? []
            let status = localSizes.withUnsafeMutableBufferPointer { localPointer in
                clEnqueueNDRangeKernel(
                    queue, handle, cl_uint(globalSizes.count), nil, &globalSizes,
                    local == nil ? nil : localPointer.baseAddress, 0, nil, nil)
            }
            try checkCL(status, "clEnqueueNDRangeKernel(\(kernel))")
        }
        counting.launch()
    }

    /// A one-dimensional launch over `count` items in work-groups of `groupSize` on GPUs. CPU
    /// devices (PoCL) pay a fixed cost per work-group, so they take groups of at least 1024
    /// (kernels launched here use no local memory, so the group size is theirs to choose).
    func launch1D(_ family: String, _ kernel: String, count: Int, groupSize: Int = 256, _ arguments: [KernelArgument]) throws {
        let group = min(info.isGPU ? groupSize : max(groupSize, 1024), info.maxWorkGroupSize)
        try launch(family, kernel, global: [count], local: [group], arguments)
    }
}

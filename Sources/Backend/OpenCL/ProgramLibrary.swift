import COpenCL
import Foundation

/// The compiled programs and kernel objects of one OpenCL device. Each kernel family
/// (`Kernels/<family>.cl`) is compiled on first use, once per process, and its binary is cached
/// on disk for the next process. Callers hold the device lock.
final class ProgramLibrary: @unchecked Sendable {
    static let buildOptions = "-cl-std=CL1.2"

    private var programs: [String: cl_program] = [:]
    private var kernels: [String: cl_kernel] = [:]
    /// Families whose bundled source failed to build: asked again, they throw the same error
    /// at once rather than compiling again (seconds each time) for the same result.
    private var failedBuilds: [String: any Error] = [:]
    private let cache: ProgramCache
    /// Programs compiled from source, and programs loaded from the on-disk cache.
    private(set) var sourceBuilds = 0
    private(set) var binaryLoads = 0

    init(cache: ProgramCache = ProgramCache()) {
        self.cache = cache
    }

    deinit {
        for kernel in kernels.values { clReleaseKernel(kernel) }
        for program in programs.values { clReleaseProgram(program) }
    }

    func kernel(_ name: String, family: String, on device: OpenCLDevice) throws -> cl_kernel {
        let key = "\(family)/\(name)"
        if let kernel = kernels[key] { return kernel }
        let program = try program(named: family, source: nil, on: device)
        var status: cl_int = CL_SUCCESS
        guard let kernel = clCreateKernel(program, name, &status), status == CL_SUCCESS else {
            throw BackendError.openCL(call: "clCreateKernel(\(key))", code: status)
        }
        kernels[key] = kernel
        return kernel
    }

    func program(named name: String, source explicitSource: String?, on device: OpenCLDevice) throws -> cl_program {
        if explicitSource == nil, let program = programs[name] { return program }
        if explicitSource == nil, let failure = failedBuilds[name] { throw failure }
        let source = try explicitSource ?? KernelSources.source(of: name)
        let key = ProgramCache.key(family: name, parts: [
            source, Self.buildOptions, device.info.name, device.info.driverVersion, device.info.platformVersion,
        ])
        let program: cl_program
        if let cached = cachedProgram(key, device: device) {
            program = cached
            binaryLoads += 1
        } else {
            do {
                program = try build(source: source, name: name, device: device)
            } catch {
                if explicitSource == nil { failedBuilds[name] = error }
                throw error
            }
            sourceBuilds += 1
            if let binary = try? binary(of: program) { cache.store(key, binary) }
        }
        if let old = programs[name] {
            // Kernels of the replaced program would keep running the old code.
            for (key, kernel) in kernels where key.hasPrefix("\(name)/") {
                clReleaseKernel(kernel)
                kernels[key] = nil
            }
            clReleaseProgram(old)
        }
        programs[name] = program
        return program
    }

    /// The program built from the binary cached under `key`; a binary the driver refuses is
    /// removed from the cache.
    private func cachedProgram(_ key: String, device: OpenCLDevice) -> cl_program? {
        guard let binary = cache.load(key) else { return nil }
        do {
            return try build(binary: binary, device: device)
        } catch {
            cache.discard(key, because: "the OpenCL driver refused it (\(error))")
            return nil
        }
    }

    private func build(binary: [UInt8], device: OpenCLDevice) throws -> cl_program {
        var status: cl_int = CL_SUCCESS
        var binaryStatus: cl_int = CL_SUCCESS
        var length = binary.count
        var deviceID: cl_device_id? = device.deviceID
        let created: cl_program? = binary.withUnsafeBufferPointer { bytes in
            var pointer: UnsafePointer<UInt8>? = bytes.baseAddress
            return clCreateProgramWithBinary(device.context, 1, &deviceID, &length, &pointer, &binaryStatus, &status)
        }
        guard let program = created, status == CL_SUCCESS, binaryStatus == CL_SUCCESS else {
            if let created { clReleaseProgram(created) }
            throw BackendError.openCL(call: "clCreateProgramWithBinary", code: status)
        }
        let built = clBuildProgram(program, 1, &deviceID, Self.buildOptions, nil, nil)
        guard built == CL_SUCCESS else {
            clReleaseProgram(program)
            throw BackendError.openCL(call: "clBuildProgram(binary)", code: built)
        }
        return program
    }

    private func build(source: String, name: String, device: OpenCLDevice) throws -> cl_program {
        var status: cl_int = CL_SUCCESS
        let created: cl_program? = source.withCString { text in
            var pointer: UnsafePointer<CChar>? = text
            return clCreateProgramWithSource(device.context, 1, &pointer, nil, &status)
        }
        guard let program = created, status == CL_SUCCESS else {
            throw BackendError.openCL(call: "clCreateProgramWithSource(\(name))", code: status)
        }
        var deviceID: cl_device_id? = device.deviceID
        let built = clBuildProgram(program, 1, &deviceID, Self.buildOptions, nil, nil)
        if built != CL_SUCCESS {
            let log = buildLog(program, device: device.deviceID)
            clReleaseProgram(program)
            throw BackendError.kernelBuild(name: name, log: log.isEmpty ? OpenCLErrorName.name(of: built) : log)
        }
        return program
    }

    private func buildLog(_ program: cl_program, device: cl_device_id) -> String {
        var size = 0
        clGetProgramBuildInfo(program, device, cl_program_build_info(CL_PROGRAM_BUILD_LOG), 0, nil, &size)
        guard size > 1 else { return "" }
        var bytes = [CChar](repeating: 0, count: size + 1)
        clGetProgramBuildInfo(program, device, cl_program_build_info(CL_PROGRAM_BUILD_LOG), size, &bytes, nil)
        return trimmedString(bytes).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func binary(of program: cl_program) throws -> [UInt8] {
        var size = 0
        try checkCL(
            clGetProgramInfo(program, cl_program_info(CL_PROGRAM_BINARY_SIZES), MemoryLayout<Int>.size, &size, nil),
            "clGetProgramInfo(CL_PROGRAM_BINARY_SIZES)")
        guard size > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: size)
        try bytes.withUnsafeMutableBufferPointer { buffer in
            var pointer: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            try checkCL(
                clGetProgramInfo(program, cl_program_info(CL_PROGRAM_BINARIES), MemoryLayout<UnsafeMutablePointer<UInt8>>.size, &pointer, nil),
                "clGetProgramInfo(CL_PROGRAM_BINARIES)")
        }
        return bytes
    }
}

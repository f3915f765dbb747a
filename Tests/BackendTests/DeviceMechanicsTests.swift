@testable import Backend
import Foundation
import Testing
import TestSupport

/// Memory pooling, memory limits, kernel builds, OpenCL errors and the program cache.
@Suite struct DeviceMechanicsTests {
    // MARK: pool

    @Test(arguments: TestDevice.all)
    func warmOpSequenceCreatesNoNewBuffer(device: TestDevice) throws {
        let twin = try privateTwin(of: device.device)
        let bias = try randomTensor([70], seed: 2, on: twin)
        let gradient = try Tensor(uninitializedShape: [300, 70], on: twin)
        func step() throws {
            let x = try randomTensor([300, 70], seed: 1, on: twin)
            let hidden = try x.addingBias(bias, activation: .gelu)
            try twin.unaryBackward(.gelu, input: hidden, gradOutput: x, into: gradient)
            let probabilities = try (hidden * x - 1).softmax(axis: 1)
            _ = try probabilities.sum().item()
            _ = try probabilities.argmax(axis: 1).toArray()
            _ = try (hidden + bias).mean(axis: 0).max().item()
            try twin.synchronize()
        }
        try step()
        try step()
        let warm = twin.pool.statistics
        for _ in 0..<3 { try step() }
        let after = twin.pool.statistics
        #expect(after.allocations == warm.allocations, "a warm step allocated \(after.allocations - warm.allocations) new buffers")
        #expect(after.reuses > warm.reuses)
        #expect(after.bytesInUse == warm.bytesInUse)
    }

    @Test(arguments: TestDevice.all)
    func askingForMoreMemoryThanTheDeviceHasThrows(device: TestDevice) throws {
        let pool = device.device.pool
        let tooMany = Swift.max(pool.capacityBytes, pool.maxBufferBytes) / MemoryLayout<Float>.size + 1
        let error = #expect(throws: BackendError.self) {
            try Tensor(uninitializedShape: [tooMany], on: device.device)
        }
        guard case .outOfMemory? = error else {
            Issue.record("expected outOfMemory, got \(String(describing: error))")
            return
        }
        #expect(throws: BackendError.self) { try Tensor(uninitializedShape: [1 << 62], on: device.device) }
        #expect(throws: BackendError.self) { try Tensor(uninitializedShape: [1 << 40, 1 << 40], on: device.device) }
    }

    @Test func poolCountsLiveBuffersAgainstItsCapacity() throws {
        let pool = BufferPool(deviceName: "test", capacityBytes: 1000, maxBufferBytes: 800) { count in
            try CPUBuffer(count: count)
        }
        let first = try pool.acquire(count: 150)
        #expect(throws: BackendError.outOfMemory(device: "test", requestedBytes: 600, availableBytes: 400)) {
            try pool.acquire(count: 150)
        }
        #expect(throws: BackendError.outOfMemory(device: "test", requestedBytes: 804, availableBytes: 800)) {
            try pool.acquire(count: 201)
        }
        pool.release(first)
        // The cached buffer is freed to make room for one of another size.
        _ = try pool.acquire(count: 200)
        #expect(pool.statistics.allocations == 2)
        #expect(pool.statistics.bytesCached == 0)
        #expect(pool.statistics.bytesInUse == 800)
    }

    // MARK: OpenCL errors

    @Test(arguments: TestDevice.openCL)
    func brokenKernelThrowsItsNameAndTheCompilerLog(device: TestDevice) throws {
        let openCL = try #require(device.device as? OpenCLDevice)
        let error = #expect(throws: BackendError.self) {
            try openCL.buildProgram(
                named: "deliberately_broken", source: "__kernel void broken(__global float* x) { x[0] = no_such_name; }")
        }
        guard case let .kernelBuild(name, log)? = error else {
            Issue.record("expected kernelBuild, got \(String(describing: error))")
            return
        }
        #expect(name == "deliberately_broken")
        #expect(log.contains("no_such_name"), "the log should quote the compiler: \(log)")
    }

    @Test(arguments: TestDevice.openCL)
    func openCLFailuresNameTheCallAndTheCode(device: TestDevice) throws {
        let openCL = try #require(device.device as? OpenCLDevice)
        let x = try randomTensor([10], seed: 1, on: openCL)
        let missing = #expect(throws: BackendError.self) {
            try openCL.launch("elementwise", "no_such_kernel", global: [10], [.tensor(x)])
        }
        #expect(missing == .openCL(call: "clCreateKernel(elementwise/no_such_kernel)", code: -46))
        #expect(missing.map { "\($0)" }?.contains("CL_INVALID_KERNEL_NAME") == true)

        let tooLarge = openCL.info.maxWorkGroupSize * 2
        let badLaunch = #expect(throws: BackendError.self) {
            try openCL.launch("elementwise", "fill", global: [tooLarge], local: [tooLarge], [.tensor(x), .size(10), .float(1)])
        }
        guard case let .openCL(call, code)? = badLaunch else {
            Issue.record("expected an OpenCL error, got \(String(describing: badLaunch))")
            return
        }
        #expect(call == "clEnqueueNDRangeKernel(fill)")
        #expect(OpenCLErrorName.name(of: code).hasPrefix("CL_INVALID_WORK_"), "got \(OpenCLErrorName.name(of: code))")
        // The device still works afterwards.
        try openCL.fill(x, value: 2)
        #expect(try x.toArray() == [Float](repeating: 2, count: 10))
    }

    @Test func errorCodesHaveTheirHeaderNames() {
        #expect(OpenCLErrorName.name(of: -5) == "CL_OUT_OF_RESOURCES")
        #expect(OpenCLErrorName.name(of: -54) == "CL_INVALID_WORK_GROUP_SIZE")
        #expect(OpenCLErrorName.name(of: -9999) == "UNKNOWN_ERROR")
        #expect("\(BackendError.openCL(call: "clFinish", code: -36))" == "OpenCL call clFinish failed with CL_INVALID_COMMAND_QUEUE (-36)")
    }

    @Test(arguments: TestDevice.all)
    func tensorsOfAnotherDeviceAreRefused(device: TestDevice) throws {
        let twin = try privateTwin(of: device.device)
        let mine = try randomTensor([8], seed: 1, on: device.device)
        let foreign = try randomTensor([8], seed: 2, on: twin)
        let error = #expect(throws: BackendError.self) { try device.device.binary(.add, mine, foreign, into: mine) }
        let name = device.device.identifier
        #expect(error == .deviceMismatch(op: "add", expected: name, found: "another instance of \(name)"))
        #expect(throws: BackendError.self) { try device.device.reduce(.sum, foreign, axis: nil, into: mine) }
        #expect(throws: BackendError.self) { try device.device.softmax(mine, axis: 0, log: false, into: foreign) }
    }

    // MARK: program cache

    @Test(arguments: TestDevice.openCL)
    func programBinariesAreCachedOnDisk(device: TestDevice) throws {
        let openCL = try #require(device.device as? OpenCLDevice)
        let handle = try #require(try OpenCLRuntime.handles().first { $0.info.index == openCL.info.index })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swifttune-kernels-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }

        let values = randomValues(5000, seed: 3)
        func run(on fresh: OpenCLDevice) throws -> Float {
            try Tensor(values, shape: [50, 100], on: fresh).softmax(axis: 1).sum().item()
        }
        let first = try OpenCLDevice(handle: handle, programCache: ProgramCache(folder: folder))
        let firstResult = try run(on: first)
        _ = try run(on: first)
        #expect(first.programs.sourceBuilds == 1, "a family compiles once per process")
        #expect(first.programs.binaryLoads == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.count == 1 && files[0].hasPrefix("reduce-") && files[0].hasSuffix(".bin"), "cache holds \(files)")

        let second = try OpenCLDevice(handle: handle, programCache: ProgramCache(folder: folder))
        #expect(try run(on: second) == firstResult)
        #expect(second.programs.sourceBuilds == 0, "a second start must not compile again")
        #expect(second.programs.binaryLoads == 1)
    }
}

import Backend
import Testing
import TestSupport

/// Reads, writes and copies of parts of buffers, uploads that do not wait for the device, and the
/// counters that report them.
struct TransferTests {
    @Test(arguments: TestDevice.all)
    func partsOfBuffersAreReadAndCopiedAtTheirOffsets(device: TestDevice) throws {
        let source = try Tensor((0..<10).map(Float.init), shape: [10], on: device.device)
        let target = try Tensor(repeating: -1, shape: [8], on: device.device)
        try target.copyElements(3, from: source, at: 6, to: 2)
        #expect(try target.toArray() == [-1, -1, 6, 7, 8, -1, -1, -1])
        #expect(try source.toArray(4..<7) == [4, 5, 6])
        #expect(try source.toArray(10..<10) == [])
        #expect(throws: BackendError.self) { try target.copyElements(3, from: source, at: 8, to: 0) }
        #expect(throws: BackendError.self) { try target.copyElements(3, from: source, at: 0, to: 6) }
        #expect(throws: BackendError.self) { try source.toArray(8..<11) }
    }

    @Test(arguments: TestDevice.all)
    func uploadedValuesArriveAfterTheCallersArrayIsGone(device: TestDevice) throws {
        var tensors: [Tensor] = []
        for round in 0..<50 {
            var values = (0..<1000).map { Float($0 * round) }
            tensors.append(try Tensor(values, shape: [1000], on: device.device))
            values.withUnsafeMutableBufferPointer { $0.update(repeating: .nan) }
        }
        for (round, tensor) in tensors.enumerated() {
            #expect(try tensor.toArray() == (0..<1000).map { Float($0 * round) })
        }
    }

    @Test(arguments: TestDevice.all)
    func countersReportWaitsAndBytesButUploadsDoNotWait(device testDevice: TestDevice) throws {
        // A device of its own: tests running beside this one use the shared devices' counters.
        let device = try privateTwin(of: testDevice.device)
        let before = device.counters
        let tensor = try Tensor([Float](repeating: 2, count: 256), shape: [256], on: device)
        let doubled = try tensor.combined(with: tensor, BinaryOp.add)
        let uploaded = device.counters - before
        #expect(uploaded.synchronizations == 0)
        #expect(uploaded.bytesUploaded == 256 * 4)
        #expect(uploaded.bytesDownloaded == 0)
        #expect(try doubled.toArray(0..<4) == [4, 4, 4, 4])
        let all = device.counters - before
        #expect(all.synchronizations == 1)
        #expect(all.bytesDownloaded == 16)
        if device.kind == .opencl {
            #expect(try #require(all.kernelLaunches) >= 1)
        } else {
            #expect(all.kernelLaunches == nil)
        }
    }
}

/// Runs of values copied between strided places: what joining and splitting tensors needs.
struct BlockCopyTests {
    @Test(arguments: TestDevice.all)
    func runsLandAtTheirStrides(device: TestDevice) throws {
        let source = try Tensor((0..<12).map(Float.init), shape: [12], on: device.device)
        let target = try Tensor(repeating: -1, shape: [10], on: device.device)
        // Three runs of two: from 1, 5, 9 (stride 4) to 0, 3, 6 (stride 3).
        try device.device.copyBlocks(source.buffer, offset: 1, stride: 4, to: target.buffer, offset: 0, stride: 3, length: 2, blocks: 3)
        #expect(try target.toArray() == [1, 2, -1, 5, 6, -1, 9, 10, -1, -1])
        try device.device.copyBlocks(source.buffer, offset: 0, stride: 0, to: target.buffer, offset: 9, stride: 0, length: 1, blocks: 1)
        #expect(try target.toArray(9..<10) == [0])
    }

    /// Large copies run in parallel pieces on the CPU: one long run (not a whole number of
    /// pieces) and many runs, every element where it belongs and nothing else written.
    @Test(arguments: [(length: 600_001, blocks: 1), (length: 3_000, blocks: 300)])
    func largeCopiesSplitOverThreadsLandWhole(shape: (length: Int, blocks: Int)) throws {
        let device = CPUDevice(threads: 2)
        let count = shape.length * shape.blocks
        let source = try Tensor((0..<(count + 5)).map { Float($0 % 1_000) }, shape: [count + 5], on: device)
        let target = try Tensor(repeating: -1, shape: [count + shape.blocks + 3], on: device)
        try device.copyBlocks(
            source.buffer, offset: 5, stride: shape.length, to: target.buffer, offset: 3, stride: shape.length + 1, length: shape.length,
            blocks: shape.blocks)
        var expected = [Float](repeating: -1, count: count + shape.blocks + 3)
        for block in 0..<shape.blocks {
            for i in 0..<shape.length { expected[3 + block * (shape.length + 1) + i] = Float((5 + block * shape.length + i) % 1_000) }
        }
        #expect(try target.toArray() == expected)
    }

    @Test(arguments: TestDevice.all)
    func runsOutsideTheBuffersOrOverlappingAreRefused(device: TestDevice) throws {
        let source = try Tensor(repeating: 0, shape: [8], on: device.device)
        let target = try Tensor(repeating: 0, shape: [8], on: device.device)
        let d = device.device
        #expect(throws: BackendError.self) { try d.copyBlocks(source.buffer, offset: 0, stride: 4, to: target.buffer, offset: 0, stride: 4, length: 4, blocks: 3) }
        #expect(throws: BackendError.self) { try d.copyBlocks(source.buffer, offset: 0, stride: 2, to: target.buffer, offset: 0, stride: 3, length: 3, blocks: 2) }
        #expect(throws: BackendError.self) { try d.copyBlocks(source.buffer, offset: 6, stride: 3, to: target.buffer, offset: 0, stride: 3, length: 3, blocks: 1) }
    }
}

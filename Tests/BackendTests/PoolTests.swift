import Backend
import Testing
import TestSupport

/// Pooling beyond its parity cases (`ParityCatalog.pool`, run by `ParityTests`).
@Suite struct PoolTests {
    @Test(arguments: TestDevice.openCL)
    func openCLMatchesTheCPU(_ testDevice: TestDevice) throws {
        let shape = [4, 13, 17, 15]
        let descriptor = Pool2DDescriptor(kernel: 3, stride: 2, padding: 1)
        let outputShape = try descriptor.outputShape(for: shape, op: "test")
        let xValues = randomValues(Tensor.elementCount(shape), seed: 81)
        let upstream = randomValues(Tensor.elementCount(outputShape), seed: 82)
        var results: [[Float]] = []
        for device in [CPUDevice.shared as any Device, testDevice.device] {
            let input = try Tensor(xValues, shape: shape, on: device)
            let output = try poisonedTensor(outputShape, on: device)
            let indices = try poisonedTensor(outputShape, on: device)
            let gradOutput = try Tensor(upstream, shape: outputShape, on: device)
            let gradInput = try poisonedTensor(shape, on: device)
            var values: [Float] = []
            try device.maxPool2d(input, descriptor, into: output, indices: indices)
            try device.maxPool2dBackward(gradOutput: gradOutput, indices: indices, descriptor, into: gradInput)
            values += try output.toArray() + indices.toArray() + gradInput.toArray()
            try device.avgPool2d(input, descriptor, into: output)
            try device.avgPool2dBackward(gradOutput: gradOutput, descriptor, into: gradInput)
            values += try output.toArray() + gradInput.toArray()
            results.append(values)
        }
        expectClose(results[1], results[0], tolerance: 1e-6, "OpenCL against CPU")
    }

    @Test(arguments: TestDevice.all)
    func badWindowsThrow(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let input = try Tensor(uninitializedShape: [1, 2, 4, 4], on: device)
        let output = try Tensor(uninitializedShape: [1, 2, 2, 2], on: device)
        let wrong = try Tensor(uninitializedShape: [1, 2, 3, 3], on: device)
        #expect(throws: BackendError.self) { try device.maxPool2d(input, Pool2DDescriptor(kernel: 2, padding: 2), into: output, indices: nil) }
        #expect(throws: BackendError.self) { try device.maxPool2d(input, Pool2DDescriptor(kernel: 2, stride: 0), into: output, indices: nil) }
        #expect(throws: BackendError.self) { try device.avgPool2d(input, Pool2DDescriptor(kernel: 5), into: output) }
        #expect(throws: BackendError.self) { try device.avgPool2d(input, Pool2DDescriptor(kernel: 2), into: wrong) }
        #expect(throws: BackendError.self) { try device.maxPool2d(input, Pool2DDescriptor(kernel: 2), into: output, indices: wrong) }
        #expect(throws: BackendError.self) { try device.avgPool2d(output.reshaped([2, 4]), Pool2DDescriptor(kernel: 1), into: output) }
        #expect(throws: BackendError.self) {
            try device.maxPool2dBackward(gradOutput: wrong, indices: output, Pool2DDescriptor(kernel: 2), into: input)
        }
    }
}

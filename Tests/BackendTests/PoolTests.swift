import Backend
import Testing
import TestSupport

/// One pooling case: an NCHW input shape and a window.
struct PoolCase: Sendable, CustomStringConvertible {
    let shape: [Int]
    let descriptor: Pool2DDescriptor

    var description: String {
        let d = descriptor
        return "\(shape) k\(d.kernelHeight)x\(d.kernelWidth) s\(d.strideHeight)x\(d.strideWidth) p\(d.paddingHeight)x\(d.paddingWidth)"
    }

    /// Batch 1, odd channel counts, kernels 1/3/5, stride 2, padding 0–2, a non-square window.
    static let all: [PoolCase] = [
        PoolCase(shape: [1, 3, 7, 9], descriptor: Pool2DDescriptor(kernel: 3, stride: 2, padding: 1)),
        PoolCase(shape: [2, 5, 8, 8], descriptor: Pool2DDescriptor(kernel: 2)),
        PoolCase(shape: [1, 1, 5, 5], descriptor: Pool2DDescriptor(kernel: 5, stride: 1, padding: 2)),
        PoolCase(shape: [3, 2, 6, 7], descriptor: Pool2DDescriptor(kernel: 1, stride: 2)),
        PoolCase(shape: [2, 3, 9, 6], descriptor: Pool2DDescriptor(kernel: 3, stride: 1)),
        PoolCase(shape: [1, 7, 11, 10], descriptor: Pool2DDescriptor(kernel: 5, stride: 2, padding: 2)),
        PoolCase(shape: [2, 3, 6, 9], descriptor: Pool2DDescriptor(
            kernelHeight: 3, kernelWidth: 1, strideHeight: 1, strideWidth: 2, paddingHeight: 1, paddingWidth: 0)),
    ]

    var outputShape: [Int] {
        let d = descriptor
        return [shape[0], shape[1],
                (shape[2] + 2 * d.paddingHeight - d.kernelHeight) / d.strideHeight + 1,
                (shape[3] + 2 * d.paddingWidth - d.kernelWidth) / d.strideWidth + 1]
    }

    /// The in-bounds flat positions of each output window, per plane, row-major.
    func windows() -> [[Int]] {
        let d = descriptor
        let (height, width) = (shape[2], shape[3])
        let out = outputShape
        var result: [[Int]] = []
        for oh in 0..<out[2] {
            for ow in 0..<out[3] {
                var positions: [Int] = []
                for kh in 0..<d.kernelHeight {
                    for kw in 0..<d.kernelWidth {
                        let h = oh * d.strideHeight - d.paddingHeight + kh
                        let w = ow * d.strideWidth - d.paddingWidth + kw
                        if h >= 0, h < height, w >= 0, w < width { positions.append(h * width + w) }
                    }
                }
                result.append(positions)
            }
        }
        return result
    }

    /// Double reference: max (with argmax) or average over every window of every plane.
    func reference(_ x: [Double], max: Bool, countIncludesPadding: Bool = true) -> (values: [Double], argmax: [Double]) {
        let planeSize = shape[2] * shape[3]
        let windows = windows()
        var values: [Double] = []
        var argmax: [Double] = []
        for plane in 0..<(shape[0] * shape[1]) {
            let base = plane * planeSize
            for window in windows {
                if max {
                    let best = window.max { x[base + $0] < x[base + $1] } ?? 0
                    values.append(x[base + best])
                    argmax.append(Double(best))
                } else {
                    let divisor = countIncludesPadding ? descriptor.kernelHeight * descriptor.kernelWidth : window.count
                    values.append(window.reduce(0) { $0 + x[base + $1] } / Double(divisor))
                }
            }
        }
        return (values, argmax)
    }
}

@Suite struct PoolTests {
    @Test(arguments: TestDevice.all, PoolCase.all)
    func maxPoolForwardAndBackward(_ testDevice: TestDevice, poolCase: PoolCase) throws {
        let device = testDevice.device
        let count = Tensor.elementCount(poolCase.shape)
        let xValues = randomValues(count, seed: 61)
        let input = try Tensor(xValues, shape: poolCase.shape, on: device)
        let output = try poisonedTensor(poolCase.outputShape, on: device)
        let indices = try poisonedTensor(poolCase.outputShape, on: device)
        try device.maxPool2d(input, poolCase.descriptor, into: output, indices: indices)
        let x = xValues.map(Double.init)
        let expected = poolCase.reference(x, max: true)
        expectClose(try output.toArray(), expected.values, tolerance: 0, "max pool \(poolCase)")
        expectClose(try indices.toArray(), expected.argmax, tolerance: 0, "argmax \(poolCase)")

        let upstream = randomValues(Tensor.elementCount(poolCase.outputShape), seed: 62)
        let gradInput = try poisonedTensor(poolCase.shape, on: device)
        try device.maxPool2dBackward(
            gradOutput: try Tensor(upstream, shape: poolCase.outputShape, on: device), indices: indices,
            poolCase.descriptor, into: gradInput)
        let numeric = finiteDifferenceGradient(
            of: { weightedSum(poolCase.reference($0, max: true).values, upstream) }, at: x, step: 1e-7)
        expectClose(try gradInput.toArray(), numeric, tolerance: 1e-5, "max pool backward \(poolCase)")
    }

    @Test(arguments: TestDevice.all, PoolCase.all)
    func averagePoolForwardAndBackward(_ testDevice: TestDevice, poolCase: PoolCase) throws {
        let device = testDevice.device
        let count = Tensor.elementCount(poolCase.shape)
        let xValues = randomValues(count, seed: 71)
        let x = xValues.map(Double.init)
        let input = try Tensor(xValues, shape: poolCase.shape, on: device)
        let upstream = randomValues(Tensor.elementCount(poolCase.outputShape), seed: 72)
        let gradOutput = try Tensor(upstream, shape: poolCase.outputShape, on: device)
        for includesPadding in [true, false] {
            var descriptor = poolCase.descriptor
            descriptor.countIncludesPadding = includesPadding
            let output = try poisonedTensor(poolCase.outputShape, on: device)
            try device.avgPool2d(input, descriptor, into: output)
            let forward = { (x: [Double]) in poolCase.reference(x, max: false, countIncludesPadding: includesPadding).values }
            expectClose(try output.toArray(), forward(x), tolerance: 1e-6, "average pool \(poolCase) padding counted: \(includesPadding)")

            let gradInput = try poisonedTensor(poolCase.shape, on: device)
            try device.avgPool2dBackward(gradOutput: gradOutput, descriptor, into: gradInput)
            let numeric = finiteDifferenceGradient(of: { weightedSum(forward($0), upstream) }, at: x)
            expectClose(try gradInput.toArray(), numeric, tolerance: 1e-5, "average pool backward \(poolCase) padding counted: \(includesPadding)")
        }
    }

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

@testable import Backend
import Testing
import TestSupport

extension ConvOutputs {
    func expectClose(to other: ConvOutputs, tolerance: Double, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        TestSupport.expectClose(output, other.output, tolerance: tolerance, "\(label) output", sourceLocation: sourceLocation)
        TestSupport.expectClose(gradInput, other.gradInput, tolerance: tolerance, "\(label) gradInput", sourceLocation: sourceLocation)
        TestSupport.expectClose(gradWeight, other.gradWeight, tolerance: tolerance, "\(label) gradWeight", sourceLocation: sourceLocation)
        TestSupport.expectClose(gradBias, other.gradBias, tolerance: tolerance, "\(label) gradBias", sourceLocation: sourceLocation)
    }
}

/// Convolution beyond its parity cases (`ParityCatalog.convolution`, run by `ParityTests`):
/// accumulation, chunking, pooling of buffers and bad calls.
@Suite struct ConvolutionTests {
    @Test(arguments: ConvCase.all)
    func outputShapesFollowTheDefinition(convCase: ConvCase) throws {
        #expect(try convCase.descriptor.outputShape(input: convCase.input, weight: convCase.weightShape) == convCase.outputShape)
    }

    @Test(arguments: TestDevice.all)
    func weightAndBiasGradientsAccumulate(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let convCase = ConvCase.all[0]
        let fresh = try ConvOutputs(convCase, on: device, seed: 95)
        let values = convCase.values(seed: 95)
        let start = randomValues(Tensor.elementCount(convCase.weightShape), seed: 96)
        let startBias = randomValues(convCase.filters, seed: 97)
        let input = try Tensor(values.x, shape: convCase.input, on: device)
        let gradOutput = try Tensor(values.upstream, shape: convCase.outputShape, on: device)
        let gradWeight = try Tensor(start, shape: convCase.weightShape, on: device)
        let gradBias = try Tensor(startBias, shape: [convCase.filters], on: device)
        try device.conv2dBackwardWeight(gradOutput: gradOutput, input: input, convCase.descriptor, into: gradWeight, accumulate: true)
        try device.conv2dBackwardBias(gradOutput: gradOutput, into: gradBias, accumulate: true)
        expectClose(try gradWeight.toArray(), zip(start, fresh.gradWeight).map { Double($0) + Double($1) }, tolerance: 1e-6, "accumulated gradWeight")
        expectClose(try gradBias.toArray(), zip(startBias, fresh.gradBias).map { Double($0) + Double($1) }, tolerance: 1e-6, "accumulated gradBias")
    }

    /// Forcing one image per chunk (so every op loops over chunks) changes nothing.
    @Test(arguments: TestDevice.all)
    func chunksGiveTheSameResults(_ testDevice: TestDevice) throws {
        for convCase in ConvCase.all where convCase.input[0] > 1 {
            let whole = try ConvOutputs(convCase, on: testDevice.device, seed: 99)
            let chunked = try ConvPlan.$columnLimitOverride.withValue(1) {
                try ConvOutputs(convCase, on: testDevice.device, seed: 99)
            }
            chunked.expectClose(to: whole, tolerance: 1e-6, "one image per chunk, \(convCase)")
        }
    }

    @Test(arguments: TestDevice.openCL)
    func openCLMatchesTheCPU(_ testDevice: TestDevice) throws {
        let cases = [
            ConvCase([4, 13, 17, 15], filters: 19, kernel: (3, 3), Conv2DDescriptor(stride: 2, padding: 1)),
            ConvCase([3, 6, 12, 11], filters: 10, kernel: (3, 5), Conv2DDescriptor(
                strideHeight: 1, strideWidth: 2, paddingHeight: 2, paddingWidth: 1, dilationHeight: 2, dilationWidth: 1)),
        ]
        for convCase in cases {
            let cpu = try ConvOutputs(convCase, on: CPUDevice.shared, seed: 101)
            try ConvOutputs(convCase, on: testDevice.device, seed: 101)
                .expectClose(to: cpu, tolerance: 1e-5, "OpenCL against CPU, \(convCase)")
        }
    }

    /// Both OpenCL paths, the columns matrix through `gemm` (CLBlast) and the panels packed by
    /// the convolution for the own GEMM kernel, give the CPU's values, in one chunk and in many.
    @Test(arguments: TestDevice.openCL)
    func bothOpenCLPathsMatchTheCPU(_ testDevice: TestDevice) throws {
        let device = try #require(try Self.freshDevice(like: testDevice.device) as? OpenCLDevice)
        for path in [GemmPath.kernel, .clblast] {
            device.gemmPath = path
            for convCase in ConvCase.all {
                let cpu = try ConvOutputs(convCase, on: CPUDevice.shared, seed: 105)
                try ConvOutputs(convCase, on: device, seed: 105).expectClose(to: cpu, tolerance: 1e-5, "\(path), \(convCase)")
                let chunked = try ConvPlan.$columnLimitOverride.withValue(1) { try ConvOutputs(convCase, on: device, seed: 105) }
                chunked.expectClose(to: cpu, tolerance: 1e-5, "\(path), one image per chunk, \(convCase)")
            }
        }
    }

    /// A deep weight-gradient GEMM with few tiles is split on a many-core GPU, not on a
    /// two-core device, and never into slices shallower than 512 pixels; a GEMM with many
    /// tiles is not split.
    @Test func weightGradientSlicesFillTheDevice() {
        let layer = GemmDescriptor(m: 64, n: 288, k: 64 * 784, transposeB: true)
        #expect(OpenCLDevice.weightGradientSlices(layer, computeUnits: 132) == 53)
        #expect(OpenCLDevice.weightGradientSlices(layer, computeUnits: 2) == 1)
        let shallow = GemmDescriptor(m: 4, n: 18, k: 1083, transposeB: true)
        #expect(OpenCLDevice.weightGradientSlices(shallow, computeUnits: 132) == 2)
        let wide = GemmDescriptor(m: 512, n: 4608, k: 64 * 16, transposeB: true)
        #expect(OpenCLDevice.weightGradientSlices(wide, computeUnits: 132) == 1)
    }

    /// The weight gradient split along its depth (CLBlast's path, `ConvCase.deepBatch`: two
    /// slices and a remainder) gives the CPU's values, fresh and accumulated.
    @Test(arguments: TestDevice.openCL)
    func splitWeightGradientMatchesTheCPU(_ testDevice: TestDevice) throws {
        let device = try #require(try Self.freshDevice(like: testDevice.device) as? OpenCLDevice)
        device.gemmPath = .clblast
        let convCase = ConvCase.deepBatch
        let plan = try convCase.descriptor.plan(input: convCase.input, weight: convCase.weightShape, op: "test")
        try #require(OpenCLDevice.weightGradientSlices(plan.weightGradientGemm(images: 3, accumulate: false),
                                                       computeUnits: device.info.computeUnits) > 1)
        let cpu = try ConvOutputs(convCase, on: CPUDevice.shared, seed: 109)
        let split = try ConvOutputs(convCase, on: device, seed: 109)
        TestSupport.expectClose(split.gradWeight, cpu.gradWeight, tolerance: 5e-5, "split gradWeight")
        let values = convCase.values(seed: 109)
        let start = randomValues(Tensor.elementCount(convCase.weightShape), seed: 110)
        let gradWeight = try Tensor(start, shape: convCase.weightShape, on: device)
        try device.conv2dBackwardWeight(
            gradOutput: try Tensor(values.upstream, shape: convCase.outputShape, on: device),
            input: try Tensor(values.x, shape: convCase.input, on: device), convCase.descriptor, into: gradWeight, accumulate: true)
        expectClose(try gradWeight.toArray(), zip(start, cpu.gradWeight).map { Double($0) + Double($1) }, tolerance: 5e-5,
                    "accumulated split gradWeight")
    }

    /// The bias gradient sums one way on CPU devices and another on GPUs: check the way this
    /// device does not use by default, too.
    @Test(arguments: TestDevice.openCL)
    func otherBiasGradientLayoutMatchesTheCPU(_ testDevice: TestDevice) throws {
        let device = try #require(try Self.freshDevice(like: testDevice.device) as? OpenCLDevice)
        device.prefersContiguousWork.toggle()
        for convCase in ConvCase.all {
            let cpu = try ConvOutputs(convCase, on: CPUDevice.shared, seed: 107)
            let values = convCase.values(seed: 107)
            expectClose(try convCase.runBackwardBias(values, on: device), cpu.gradBias.map(Double.init), tolerance: 1e-5, "\(convCase)")
        }
    }

    /// After one call of each op, the same calls take every buffer from the pool.
    @Test(arguments: TestDevice.all)
    func warmCallsAllocateNothing(_ testDevice: TestDevice) throws {
        let device = try Self.freshDevice(like: testDevice.device)
        let convCase = ConvCase([3, 5, 8, 8], filters: 4, kernel: (3, 3), Conv2DDescriptor(padding: 1))
        _ = try ConvOutputs(convCase, on: device, seed: 103)
        let allocations = device.pool.statistics.allocations
        _ = try ConvOutputs(convCase, on: device, seed: 103)
        #expect(device.pool.statistics.allocations == allocations)
    }

    @Test(arguments: TestDevice.all)
    func badCallsThrow(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let input = try Tensor(uninitializedShape: [2, 3, 5, 5], on: device)
        let weight = try Tensor(uninitializedShape: [4, 3, 3, 3], on: device)
        let output = try Tensor(uninitializedShape: [2, 4, 3, 3], on: device)
        let bias = try Tensor(uninitializedShape: [4], on: device)
        let plain = Conv2DDescriptor()
        func expectFailure(_ call: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(throws: BackendError.self, sourceLocation: sourceLocation) { try call() }
        }
        expectFailure { try device.conv2d(input, weight: weight, bias: bias, Conv2DDescriptor(stride: 0), into: output) }
        expectFailure { try device.conv2d(input, weight: weight, bias: bias, Conv2DDescriptor(padding: -1), into: output) }
        expectFailure { try device.conv2d(input, weight: weight, bias: bias, Conv2DDescriptor(dilation: 0), into: output) }
        expectFailure { try device.conv2d(input, weight: weight, bias: bias, Conv2DDescriptor(dilation: 3), into: output) }
        expectFailure { try device.conv2d(input, weight: weight, bias: bias, Conv2DDescriptor(padding: 1), into: output) }
        expectFailure { try device.conv2d(input.reshaped([6, 25]), weight: weight, bias: bias, plain, into: output) }
        expectFailure { try device.conv2d(input, weight: weight.reshaped([4, 27]), bias: bias, plain, into: output) }
        expectFailure { try device.conv2d(input, weight: weight.reshaped([4, 1, 9, 3]), bias: bias, plain, into: output) }
        expectFailure { try device.conv2d(input, weight: weight, bias: output, plain, into: output) }
        expectFailure { try device.conv2d(input, weight: weight, bias: bias, plain, into: input) }
        let square = try Tensor(uninitializedShape: [4, 4, 3, 3], on: device)
        expectFailure { try device.conv2d(output, weight: square, bias: nil, Conv2DDescriptor(padding: 1), into: output) }
        expectFailure { try device.conv2dBackwardInput(gradOutput: input, weight: weight, plain, into: input) }
        expectFailure { try device.conv2dBackwardInput(gradOutput: output, weight: weight, plain, into: output) }
        expectFailure { try device.conv2dBackwardWeight(gradOutput: output, input: input, plain, into: bias, accumulate: false) }
        expectFailure { try device.conv2dBackwardWeight(gradOutput: input, input: input, plain, into: weight, accumulate: false) }
        expectFailure { try device.conv2dBackwardBias(gradOutput: output, into: weight, accumulate: false) }
        expectFailure { try device.conv2dBackwardBias(gradOutput: output.reshaped([8, 9]), into: bias, accumulate: false) }
        let elsewhere = try Tensor(uninitializedShape: [4, 3, 3, 3], on: Self.otherDevice(than: device))
        expectFailure { try device.conv2d(input, weight: elsewhere, bias: nil, plain, into: output) }
    }

    @Test(arguments: TestDevice.all)
    func anEmptyBatchGivesZeroWeightAndBiasGradients(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let input = try Tensor(uninitializedShape: [0, 2, 4, 4], on: device)
        let gradOutput = try Tensor(uninitializedShape: [0, 3, 4, 4], on: device)
        let gradWeight = try poisonedTensor([3, 2, 3, 3], on: device)
        let gradBias = try poisonedTensor([3], on: device)
        let d = Conv2DDescriptor(padding: 1)
        try device.conv2dBackwardWeight(gradOutput: gradOutput, input: input, d, into: gradWeight, accumulate: false)
        try device.conv2dBackwardBias(gradOutput: gradOutput, into: gradBias, accumulate: false)
        #expect(try gradWeight.toArray() == [Float](repeating: 0, count: 54))
        #expect(try gradBias.toArray() == [0, 0, 0])
    }

    /// A new device of the same kind as `device`, with its own pool (other tests share the usual ones).
    static func freshDevice(like device: any Device) throws -> any Device {
        guard let openCL = device as? OpenCLDevice else { return CPUDevice() }
        return try OpenCLDevice(handle: OpenCLRuntime.handles()[openCL.info.index])
    }

    /// A device whose tensors `device` must refuse.
    static func otherDevice(than device: any Device) -> any Device {
        device === CPUDevice.shared ? CPUDevice() : CPUDevice.shared
    }
}

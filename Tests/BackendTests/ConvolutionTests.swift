@testable import Backend
import Testing
import TestSupport

/// One convolution case: an NCHW input shape, the filters and kernel, and the descriptor.
struct ConvCase: Sendable, CustomStringConvertible {
    let input: [Int]
    let filters: Int
    let kernelHeight: Int
    let kernelWidth: Int
    let descriptor: Conv2DDescriptor
    let hasBias: Bool

    init(_ input: [Int], filters: Int, kernel: (Int, Int), _ descriptor: Conv2DDescriptor, bias: Bool = true) {
        self.input = input
        self.filters = filters
        (kernelHeight, kernelWidth) = kernel
        self.descriptor = descriptor
        hasBias = bias
    }

    var description: String {
        "\(input) K\(filters) k\(kernelHeight)x\(kernelWidth) \(descriptor)\(hasBias ? "" : " no bias")"
    }

    /// Batch 1, channel counts that are no multiple of any tile, kernels 1/3/5, stride 2,
    /// padding 0–2, dilation 2, non-square kernels, strides and paddings.
    static let all: [ConvCase] = [
        ConvCase([1, 3, 7, 9], filters: 5, kernel: (3, 3), Conv2DDescriptor(stride: 2, padding: 1)),
        ConvCase([2, 5, 6, 6], filters: 3, kernel: (1, 1), Conv2DDescriptor()),
        ConvCase([1, 1, 5, 5], filters: 2, kernel: (5, 5), Conv2DDescriptor(padding: 2)),
        ConvCase([2, 3, 9, 7], filters: 4, kernel: (3, 3), Conv2DDescriptor(padding: 2, dilation: 2), bias: false),
        ConvCase([3, 2, 6, 7], filters: 3, kernel: (3, 1), Conv2DDescriptor(
            strideHeight: 1, strideWidth: 2, paddingHeight: 1, paddingWidth: 0)),
        ConvCase([1, 7, 9, 8], filters: 6, kernel: (5, 5), Conv2DDescriptor(stride: 2, padding: 2)),
        ConvCase([2, 4, 7, 6], filters: 17, kernel: (2, 3), Conv2DDescriptor(
            strideHeight: 2, strideWidth: 1, paddingHeight: 0, paddingWidth: 1, dilationHeight: 1, dilationWidth: 2)),
        ConvCase([1, 2, 4, 5], filters: 3, kernel: (3, 3), Conv2DDescriptor(stride: 3, padding: 2), bias: false),
    ]

    var weightShape: [Int] { [filters, input[1], kernelHeight, kernelWidth] }

    var outputShape: [Int] {
        let d = descriptor
        let height = (input[2] + 2 * d.paddingHeight - d.dilationHeight * (kernelHeight - 1) - 1) / d.strideHeight + 1
        let width = (input[3] + 2 * d.paddingWidth - d.dilationWidth * (kernelWidth - 1) - 1) / d.strideWidth + 1
        return [input[0], filters, height, width]
    }

    /// Double reference of the forward pass, straight from the definition.
    func forward(_ x: [Double], _ w: [Double], _ b: [Double]?) -> [Double] {
        let (n, c, h, wd) = (input[0], input[1], input[2], input[3])
        let (p, q) = (outputShape[2], outputShape[3])
        let d = descriptor
        var y = [Double](repeating: 0, count: n * filters * p * q)
        for image in 0..<n {
            for k in 0..<filters {
                for oh in 0..<p {
                    for ow in 0..<q {
                        var sum = b?[k] ?? 0
                        for channel in 0..<c {
                            for r in 0..<kernelHeight {
                                let row = oh * d.strideHeight - d.paddingHeight + r * d.dilationHeight
                                guard row >= 0, row < h else { continue }
                                for s in 0..<kernelWidth {
                                    let column = ow * d.strideWidth - d.paddingWidth + s * d.dilationWidth
                                    guard column >= 0, column < wd else { continue }
                                    sum += w[((k * c + channel) * kernelHeight + r) * kernelWidth + s]
                                        * x[((image * c + channel) * h + row) * wd + column]
                                }
                            }
                        }
                        y[((image * filters + k) * p + oh) * q + ow] = sum
                    }
                }
            }
        }
        return y
    }

    /// Random input, weight, bias and upstream gradient for this case.
    func values(seed: UInt64) -> (x: [Float], w: [Float], b: [Float], upstream: [Float]) {
        (randomValues(Tensor.elementCount(input), seed: seed),
         randomValues(Tensor.elementCount(weightShape), seed: seed + 1),
         randomValues(filters, seed: seed + 2),
         randomValues(Tensor.elementCount(outputShape), seed: seed + 3))
    }
}

/// Every output of one case on one device: forward, the three gradients.
private struct ConvResults {
    var output: [Float]
    var gradInput: [Float]
    var gradWeight: [Float]
    var gradBias: [Float]

    /// Runs all four ops on `device` into NaN-poisoned outputs.
    init(_ convCase: ConvCase, on device: any Device, seed: UInt64) throws {
        let values = convCase.values(seed: seed)
        let input = try Tensor(values.x, shape: convCase.input, on: device)
        let weight = try Tensor(values.w, shape: convCase.weightShape, on: device)
        let bias = convCase.hasBias ? try Tensor(values.b, shape: [convCase.filters], on: device) : nil
        let gradOutput = try Tensor(values.upstream, shape: convCase.outputShape, on: device)
        let output = try poisonedTensor(convCase.outputShape, on: device)
        let gradInput = try poisonedTensor(convCase.input, on: device)
        let gradWeight = try poisonedTensor(convCase.weightShape, on: device)
        let gradBias = try poisonedTensor([convCase.filters], on: device)
        let d = convCase.descriptor
        try device.conv2d(input, weight: weight, bias: bias, d, into: output)
        try device.conv2dBackwardInput(gradOutput: gradOutput, weight: weight, d, into: gradInput)
        try device.conv2dBackwardWeight(gradOutput: gradOutput, input: input, d, into: gradWeight, accumulate: false)
        try device.conv2dBackwardBias(gradOutput: gradOutput, into: gradBias, accumulate: false)
        self.output = try output.toArray()
        self.gradInput = try gradInput.toArray()
        self.gradWeight = try gradWeight.toArray()
        self.gradBias = try gradBias.toArray()
    }

    func expectClose(to other: ConvResults, tolerance: Double, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        TestSupport.expectClose(output, other.output, tolerance: tolerance, "\(label) output", sourceLocation: sourceLocation)
        TestSupport.expectClose(gradInput, other.gradInput, tolerance: tolerance, "\(label) gradInput", sourceLocation: sourceLocation)
        TestSupport.expectClose(gradWeight, other.gradWeight, tolerance: tolerance, "\(label) gradWeight", sourceLocation: sourceLocation)
        TestSupport.expectClose(gradBias, other.gradBias, tolerance: tolerance, "\(label) gradBias", sourceLocation: sourceLocation)
    }
}

@Suite struct ConvolutionTests {
    @Test(arguments: TestDevice.all, ConvCase.all)
    func forwardMatchesTheDoubleReference(_ testDevice: TestDevice, convCase: ConvCase) throws {
        let values = convCase.values(seed: 91)
        let results = try ConvResults(convCase, on: testDevice.device, seed: 91)
        let expected = convCase.forward(
            values.x.map(Double.init), values.w.map(Double.init), convCase.hasBias ? values.b.map(Double.init) : nil)
        #expect(try convCase.descriptor.outputShape(input: convCase.input, weight: convCase.weightShape) == convCase.outputShape)
        expectClose(results.output, expected, tolerance: 2e-5, "conv2d \(convCase)")
    }

    /// Each gradient against central differences of the Double forward pass (which is linear in
    /// each argument, so the differences are exact up to rounding).
    @Test(arguments: TestDevice.all, ConvCase.all)
    func gradientsMatchFiniteDifferences(_ testDevice: TestDevice, convCase: ConvCase) throws {
        let values = convCase.values(seed: 93)
        let results = try ConvResults(convCase, on: testDevice.device, seed: 93)
        let (x, w, b) = (values.x.map(Double.init), values.w.map(Double.init), values.b.map(Double.init))
        let bias = convCase.hasBias ? b : nil
        let objective = { (x: [Double], w: [Double], b: [Double]?) in weightedSum(convCase.forward(x, w, b), values.upstream) }
        expectClose(
            results.gradInput, finiteDifferenceGradient(of: { objective($0, w, bias) }, at: x),
            tolerance: 2e-5, "gradInput \(convCase)")
        expectClose(
            results.gradWeight, finiteDifferenceGradient(of: { objective(x, $0, bias) }, at: w),
            tolerance: 2e-5, "gradWeight \(convCase)")
        expectClose(
            results.gradBias, finiteDifferenceGradient(of: { objective(x, w, $0) }, at: b),
            tolerance: 2e-5, "gradBias \(convCase)")
    }

    @Test(arguments: TestDevice.all)
    func weightAndBiasGradientsAccumulate(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let convCase = ConvCase.all[0]
        let fresh = try ConvResults(convCase, on: device, seed: 95)
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
            let whole = try ConvResults(convCase, on: testDevice.device, seed: 99)
            let chunked = try ConvPlan.$columnLimitOverride.withValue(1) {
                try ConvResults(convCase, on: testDevice.device, seed: 99)
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
            let cpu = try ConvResults(convCase, on: CPUDevice.shared, seed: 101)
            try ConvResults(convCase, on: testDevice.device, seed: 101)
                .expectClose(to: cpu, tolerance: 1e-5, "OpenCL against CPU, \(convCase)")
        }
    }

    /// After one call of each op, the same calls take every buffer from the pool.
    @Test(arguments: TestDevice.all)
    func warmCallsAllocateNothing(_ testDevice: TestDevice) throws {
        let device = try Self.freshDevice(like: testDevice.device)
        let convCase = ConvCase([3, 5, 8, 8], filters: 4, kernel: (3, 3), Conv2DDescriptor(padding: 1))
        _ = try ConvResults(convCase, on: device, seed: 103)
        let allocations = device.pool.statistics.allocations
        _ = try ConvResults(convCase, on: device, seed: 103)
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

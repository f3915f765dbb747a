import Backend

/// The 3×3 convolution layer of a small CNN (batch 64, 28×28, 32 → 64 channels, padding 1, with
/// bias) on every device: the forward pass, each gradient, and a whole training step's share
/// (forward and both gradients), as median milliseconds and GFLOP/s.
public struct ConvBenchmark: Sendable {
    /// Input shape `[N, C, H, W]`.
    public static let inputShape = [64, 32, 28, 28]
    /// Weight shape `[K, C, R, S]`.
    public static let weightShape = [64, 32, 3, 3]
    /// Stride 1, padding 1: the output keeps 28×28.
    public static let descriptor = Conv2DDescriptor(padding: 1)

    /// The passes a row measures; each does the multiply-adds of one forward pass.
    public enum Pass: String, CaseIterable, Sendable {
        case forward = "forward"
        case inputGradient = "input gradient"
        case weightGradient = "weight+bias gradient"
        case step = "forward+backward"

        /// Forward passes' worth of multiply-adds.
        var passes: Double { self == .step ? 3 : 1 }
    }

    public var timing: BenchmarkTiming

    public init(timing: BenchmarkTiming = BenchmarkTiming()) {
        self.timing = timing
    }

    /// Every pass on every device, handing each row to `report` as soon as it is measured.
    public func run(on devices: [any Device], report: (BenchmarkRow) -> Void) throws {
        for device in devices {
            let layer = try Layer(on: device)
            for pass in Pass.allCases {
                let milliseconds = try timing.medianMilliseconds(on: device) { try layer.run(pass) }
                report(BenchmarkRow(
                    benchmark: "conv", size: Self.size, path: Self.path(pass, on: device), device: device.identifier,
                    medianMilliseconds: milliseconds, rate: pass.passes * layer.flops / (milliseconds * 1e6),
                    unit: "GFLOP/s"))
            }
        }
    }

    /// Every row of `run`, collected.
    public func rows(on devices: [any Device]) throws -> [BenchmarkRow] {
        var rows: [BenchmarkRow] = []
        try run(on: devices) { rows.append($0) }
        return rows
    }

    /// `N×C×H×W k3 →K`, e.g. `64x32x28x28 k3 →64`.
    static var size: String {
        inputShape.map(String.init).joined(separator: "x") + " k\(weightShape[2]) →\(weightShape[0])"
    }

    /// The pass, with the device's GEMM path.
    static func path(_ pass: Pass, on device: any Device) -> String {
        "\(pass.rawValue) (\(device.gemmPath.rawValue))"
    }

    /// The layer's tensors on one device.
    private struct Layer {
        let device: any Device
        let input: Tensor
        let weight: Tensor
        let bias: Tensor
        let output: Tensor
        let gradOutput: Tensor
        let gradInput: Tensor
        let gradWeight: Tensor
        let gradBias: Tensor
        let flops: Double

        init(on device: any Device) throws {
            let outputShape = try ConvBenchmark.descriptor.outputShape(input: ConvBenchmark.inputShape, weight: ConvBenchmark.weightShape)
            func tensor(_ shape: [Int], seed: UInt64) throws -> Tensor {
                try Tensor(GemmBenchmark.values(Tensor.elementCount(shape), seed: seed), shape: shape, on: device)
            }
            self.device = device
            input = try tensor(ConvBenchmark.inputShape, seed: 1)
            weight = try tensor(ConvBenchmark.weightShape, seed: 2)
            bias = try tensor([ConvBenchmark.weightShape[0]], seed: 3)
            gradOutput = try tensor(outputShape, seed: 4)
            output = try Tensor(uninitializedShape: outputShape, on: device)
            gradInput = try Tensor(uninitializedShape: ConvBenchmark.inputShape, on: device)
            gradWeight = try Tensor(uninitializedShape: ConvBenchmark.weightShape, on: device)
            gradBias = try Tensor(uninitializedShape: [ConvBenchmark.weightShape[0]], on: device)
            let patch = ConvBenchmark.weightShape.dropFirst().reduce(1, *)
            flops = 2 * Double(Tensor.elementCount(outputShape)) * Double(patch)
        }

        func run(_ pass: Pass) throws {
            let d = ConvBenchmark.descriptor
            if pass == .forward || pass == .step {
                try device.conv2d(input, weight: weight, bias: bias, d, into: output)
            }
            if pass == .inputGradient || pass == .step {
                try device.conv2dBackwardInput(gradOutput: gradOutput, weight: weight, d, into: gradInput)
            }
            if pass == .weightGradient || pass == .step {
                try device.conv2dBackwardWeight(gradOutput: gradOutput, input: input, d, into: gradWeight, accumulate: false)
                try device.conv2dBackwardBias(gradOutput: gradOutput, into: gradBias, accumulate: false)
            }
        }
    }
}

import Backend

/// A 2-d convolution layer over `[N, C, H, W]` inputs: `activation(conv2d(x, weight) + bias)`,
/// weight of shape `[K, C / groups, R, S]` (K filters of C / groups channels and R × S taps).
///
/// With `groups` > 1 (PyTorch's `groups`) the channels split into that many groups and filter
/// group `g` sees only channel group `g`; `groups == C` is a depthwise convolution. A grouped
/// convolution runs as one direct convolution (`GroupedConvolutionOps`), not im2col and GEMM.
public final class Conv2D: Layer {
    public let kind = "conv2d"
    /// `[K, C / groups, R, S]`.
    public let weight: Variable
    /// `[K]`, or nil without bias.
    public let bias: Variable?
    /// Stride, padding and dilation.
    public let descriptor: Conv2DDescriptor
    /// Applied after the bias.
    public let activation: UnaryOp?
    /// Channel groups: 1 for a full convolution, the input channels for a depthwise one.
    public let groups: Int

    /// A layer with weights drawn by `initializer` from the counter-based generator at `seed`,
    /// with fan-in `C/groups·R·S` and fan-out `K/groups·R·S`; the bias starts at 0.
    public init(
        inputChannels: Int, outputChannels: Int, kernelHeight: Int, kernelWidth: Int,
        descriptor: Conv2DDescriptor = Conv2DDescriptor(), activation: UnaryOp? = nil, useBias: Bool = true, groups: Int = 1,
        initializer: Initializer = .glorotUniform, seed: UInt64, on device: any Device
    ) throws {
        guard groups >= 1, inputChannels % groups == 0, outputChannels % groups == 0 else {
            throw BackendError.invalidArgument(
                op: "Conv2D", detail: "groups (\(groups)) must divide the input channels (\(inputChannels)) and the filters (\(outputChannels))")
        }
        guard inputChannels > 0, outputChannels > 0, kernelHeight > 0, kernelWidth > 0 else {
            throw BackendError.invalidArgument(
                op: "Conv2D",
                detail: "channels (\(inputChannels) → \(outputChannels)) and kernel (\(kernelHeight)×\(kernelWidth)) must be positive")
        }
        try descriptor.validate(op: "Conv2D")
        let (taps, tapsOverflow) = kernelHeight.multipliedReportingOverflow(by: kernelWidth)
        let (fanIn, fanInOverflow) = (inputChannels / groups).multipliedReportingOverflow(by: taps)
        let (fanOut, fanOutOverflow) = (outputChannels / groups).multipliedReportingOverflow(by: taps)
        guard !tapsOverflow, !fanInOverflow, !fanOutOverflow else {
            throw BackendError.invalidArgument(
                op: "Conv2D",
                detail: "\(outputChannels)×\(inputChannels)×\(kernelHeight)×\(kernelWidth) weights are more than an Int can count")
        }
        weight = Variable(
            try initializer.tensor(
                shape: [outputChannels, inputChannels / groups, kernelHeight, kernelWidth],
                fanIn: fanIn, fanOut: fanOut, seed: seed, on: device),
            requiresGrad: true, name: "weight")
        bias = useBias
            ? Variable(try Tensor(repeating: 0, shape: [outputChannels], on: device), requiresGrad: true, name: "bias")
            : nil
        self.descriptor = descriptor
        self.activation = activation
        self.groups = groups
    }

    /// A layer with a square `kernel × kernel` window and the same stride, padding and dilation
    /// in both dimensions.
    public convenience init(
        inputChannels: Int, outputChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
        activation: UnaryOp? = nil, useBias: Bool = true, groups: Int = 1, initializer: Initializer = .glorotUniform,
        seed: UInt64, on device: any Device
    ) throws {
        try self.init(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelHeight: kernel, kernelWidth: kernel,
            descriptor: Conv2DDescriptor(stride: stride, padding: padding, dilation: dilation), activation: activation,
            useBias: useBias, groups: groups, initializer: initializer, seed: seed, on: device)
    }

    public var parameters: [Variable] { [weight] + (bias.map { [$0] } ?? []) }

    /// The input channels: `groups` times the weight's channels.
    public var inputChannels: Int { weight.shape[1] * groups }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        var fullWeight = weight.shape
        fullWeight[1] = inputChannels
        return Array(try descriptor.outputShape(input: [1] + inputShape, weight: fullWeight).dropFirst())
    }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        guard groups > 1 else { return try tape.conv2d(input, weight: weight, bias: bias, activation: activation, descriptor) }
        return try tape.groupedConv2d(input, weight: weight, bias: bias, activation: activation, groups: groups, descriptor)
    }
}

/// The window of a 2-d pooling over NCHW tensors: kernel size, stride and zero padding per
/// spatial dimension. Output size is `(H + 2·padding − kernel) / stride + 1` (rounded down).
public struct Pool2DDescriptor: Sendable, Hashable {
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideHeight: Int
    public var strideWidth: Int
    public var paddingHeight: Int
    public var paddingWidth: Int
    /// Average pooling only: divide by the whole window (true) or only by its positions inside
    /// the input (false).
    public var countIncludesPadding: Bool

    /// A window with its own size, stride and padding per dimension.
    public init(
        kernelHeight: Int, kernelWidth: Int, strideHeight: Int, strideWidth: Int,
        paddingHeight: Int = 0, paddingWidth: Int = 0, countIncludesPadding: Bool = true
    ) {
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.paddingHeight = paddingHeight
        self.paddingWidth = paddingWidth
        self.countIncludesPadding = countIncludesPadding
    }

    /// A square window; the stride defaults to the kernel size.
    public init(kernel: Int, stride: Int? = nil, padding: Int = 0, countIncludesPadding: Bool = true) {
        self.init(
            kernelHeight: kernel, kernelWidth: kernel, strideHeight: stride ?? kernel, strideWidth: stride ?? kernel,
            paddingHeight: padding, paddingWidth: padding, countIncludesPadding: countIncludesPadding)
    }

    /// The output shape for an NCHW `input` shape; throws when the window does not fit.
    public func outputShape(for input: [Int], op: String) throws -> [Int] {
        try plan(for: input, op: op).outputShape
    }

    func plan(for input: [Int], op: String) throws -> PoolPlan {
        guard input.count == 4 else {
            throw BackendError.shapeMismatch(op: op, detail: "input must be NCHW (rank 4), got shape \(input)")
        }
        guard kernelHeight >= 1, kernelWidth >= 1, strideHeight >= 1, strideWidth >= 1 else {
            throw BackendError.invalidArgument(op: op, detail: "kernel and stride must be at least 1 in \(self)")
        }
        // Written so that no hostile size overflows: 2·padding ≤ kernel as padding ≤ kernel / 2,
        // and the window's unpadded part compared with the input instead of padding the input.
        guard paddingHeight >= 0, paddingWidth >= 0, paddingHeight <= kernelHeight / 2, paddingWidth <= kernelWidth / 2 else {
            throw BackendError.invalidArgument(op: op, detail: "padding must be between 0 and half the kernel in \(self)")
        }
        let (height, width) = (input[2], input[3])
        let (unpaddedHeight, unpaddedWidth) = (kernelHeight - 2 * paddingHeight, kernelWidth - 2 * paddingWidth)
        guard height >= unpaddedHeight, width >= unpaddedWidth else {
            throw BackendError.shapeMismatch(op: op, detail: "the \(kernelHeight)×\(kernelWidth) window does not fit input \(input)")
        }
        let (plane, planeOverflow) = height.multipliedReportingOverflow(by: width)
        guard !planeOverflow, plane < 1 << 24 else {
            throw BackendError.shapeMismatch(op: op, detail: "planes of \(height)×\(width) are too large for Float indices")
        }
        let (planes, planesOverflow) = input[0].multipliedReportingOverflow(by: input[1])
        guard !planesOverflow else {
            throw BackendError.shapeMismatch(op: op, detail: "input \(input) has more planes than an Int can count")
        }
        return PoolPlan(
            planes: planes, height: height, width: width,
            outputHeight: (height - unpaddedHeight) / strideHeight + 1,
            outputWidth: (width - unpaddedWidth) / strideWidth + 1,
            batch: input[0], channels: input[1], descriptor: self)
    }
}

/// The sizes of one pooling call.
struct PoolPlan {
    var planes: Int
    var height: Int
    var width: Int
    var outputHeight: Int
    var outputWidth: Int
    var batch: Int
    var channels: Int
    var descriptor: Pool2DDescriptor

    var outputShape: [Int] { [batch, channels, outputHeight, outputWidth] }
    var inputCount: Int { planes * height * width }
    var outputCount: Int { planes * outputHeight * outputWidth }
    /// Elements of one input plane (`H·W`) and of one output plane.
    var planeSize: Int { height * width }
    var outputPlaneSize: Int { outputHeight * outputWidth }

    /// The in-bounds input rows of the windows in output row `oh`.
    func windowRows(_ oh: Int) -> Range<Int> {
        let top = oh * descriptor.strideHeight - descriptor.paddingHeight
        return max(top, 0)..<min(top + descriptor.kernelHeight, height)
    }

    /// The in-bounds input columns of the windows in output column `ow`.
    func windowColumns(_ ow: Int) -> Range<Int> {
        let left = ow * descriptor.strideWidth - descriptor.paddingWidth
        return max(left, 0)..<min(left + descriptor.kernelWidth, width)
    }

    /// The output rows (or columns) whose windows hold input row (or column) `position`.
    func coveringWindows(_ position: Int, stride: Int, padding: Int, kernel: Int, outputs: Int) -> ClosedRange<Int>? {
        let shifted = position + padding
        let first = max(0, shifted >= kernel ? (shifted - kernel) / stride + 1 : 0)
        let last = min(outputs - 1, shifted / stride)
        return first <= last ? first...last : nil
    }

    /// Average pooling's divisor for the window at (`oh`, `ow`).
    func divisor(_ oh: Int, _ ow: Int) -> Float {
        let d = descriptor
        if d.countIncludesPadding { return Float(d.kernelHeight * d.kernelWidth) }
        let top = oh * d.strideHeight - d.paddingHeight
        let left = ow * d.strideWidth - d.paddingWidth
        let rows = min(top + d.kernelHeight, height) - max(top, 0)
        let columns = min(left + d.kernelWidth, width) - max(left, 0)
        return Float(rows * columns)
    }

    /// Checks that the tensors live on `device` and that the output side (`output`, `indices`)
    /// has the pooled element count.
    func check(_ op: String, on device: any DeviceCore, input: Tensor, output: Tensor, indices: Tensor?) throws {
        guard output.count == outputCount else {
            throw BackendError.shapeMismatch(
                op: op, detail: "the output side has \(output.count) elements; input \(input.shape) pools to \(outputShape)")
        }
        if let indices, indices.count != outputCount {
            throw BackendError.shapeMismatch(
                op: op, detail: "indices have \(indices.count) elements; the output has \(outputCount)")
        }
        for tensor in [input, output, indices].compactMap({ $0 }) { try device.checkOwnership(tensor, op: op) }
    }
}

/// 2-d max and average pooling over NCHW tensors, forward and backward.
public protocol PoolOps {
    /// Max pooling; padding never wins. `indices` (optional, the output's element count) receives
    /// the argmax of each window as a flat position `h * W + w` within its input plane (the first
    /// maximum in row-major window order), which `maxPool2dBackward` routes gradients to.
    func maxPool2d(_ input: Tensor, _ descriptor: Pool2DDescriptor, into output: Tensor, indices: Tensor?) throws
    /// Routes each output gradient to its window's argmax; `gradInput` has the input's shape.
    func maxPool2dBackward(gradOutput: Tensor, indices: Tensor, _ descriptor: Pool2DDescriptor, into gradInput: Tensor) throws
    /// Average pooling.
    func avgPool2d(_ input: Tensor, _ descriptor: Pool2DDescriptor, into output: Tensor) throws
    /// Spreads each output gradient evenly over its window; `gradInput` has the input's shape.
    func avgPool2dBackward(gradOutput: Tensor, _ descriptor: Pool2DDescriptor, into gradInput: Tensor) throws
}

/// Stride, zero padding and dilation of a 2-d convolution over NCHW tensors, per spatial
/// dimension. With an input of `H × W` and a kernel of `R × S`, the output is `P × Q` with
/// `P = (H + 2·paddingHeight − dilationHeight·(R − 1) − 1) / strideHeight + 1` (rounded down),
/// and likewise for `Q`.
public struct Conv2DDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// Rows between neighbouring output rows' windows (at least 1).
    public var strideHeight: Int
    /// Columns between neighbouring output columns' windows (at least 1).
    public var strideWidth: Int
    /// Zero rows added above and below the input.
    public var paddingHeight: Int
    /// Zero columns added left and right of the input.
    public var paddingWidth: Int
    /// Rows between neighbouring kernel taps (1: adjacent rows).
    public var dilationHeight: Int
    /// Columns between neighbouring kernel taps (1: adjacent columns).
    public var dilationWidth: Int

    /// A convolution with its own stride, padding and dilation per dimension.
    public init(
        strideHeight: Int = 1, strideWidth: Int = 1, paddingHeight: Int = 0, paddingWidth: Int = 0,
        dilationHeight: Int = 1, dilationWidth: Int = 1
    ) {
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.paddingHeight = paddingHeight
        self.paddingWidth = paddingWidth
        self.dilationHeight = dilationHeight
        self.dilationWidth = dilationWidth
    }

    /// The same stride, padding and dilation in both dimensions.
    public init(stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
        self.init(
            strideHeight: stride, strideWidth: stride, paddingHeight: padding, paddingWidth: padding,
            dilationHeight: dilation, dilationWidth: dilation)
    }

    public var description: String {
        "stride \(strideHeight)×\(strideWidth), padding \(paddingHeight)×\(paddingWidth), dilation \(dilationHeight)×\(dilationWidth)"
    }

    /// The output shape `[N, K, P, Q]` for an input `[N, C, H, W]` and a weight `[K, C, R, S]`;
    /// throws when the shapes or the descriptor do not make a convolution.
    public func outputShape(input: [Int], weight: [Int]) throws -> [Int] {
        try plan(input: input, weight: weight, op: "conv2d").outputShape
    }

    /// Throws unless strides and dilations are at least 1 and paddings are not negative.
    public func validate(op: String) throws {
        guard strideHeight >= 1, strideWidth >= 1, dilationHeight >= 1, dilationWidth >= 1 else {
            throw BackendError.invalidArgument(op: op, detail: "stride and dilation must be at least 1 (\(self))")
        }
        guard paddingHeight >= 0, paddingWidth >= 0 else {
            throw BackendError.invalidArgument(op: op, detail: "padding must not be negative (\(self))")
        }
    }

    /// Validates the descriptor against the shapes and works out every size of the call.
    func plan(input: [Int], weight: [Int], op: String) throws -> ConvPlan {
        try validate(op: op)
        guard input.count == 4 else {
            throw BackendError.shapeMismatch(op: op, detail: "input must be NCHW (rank 4), got shape \(input)")
        }
        guard weight.count == 4 else {
            throw BackendError.shapeMismatch(op: op, detail: "weight must be [K, C, R, S] (rank 4), got shape \(weight)")
        }
        guard weight.allSatisfy({ $0 >= 1 }), input[1] >= 1, input[2] >= 1, input[3] >= 1, input[0] >= 0 else {
            throw BackendError.shapeMismatch(
                op: op, detail: "input \(input) and weight \(weight) need positive channels, sizes and kernel (the batch may be 0)")
        }
        guard input[1] == weight[1] else {
            throw BackendError.shapeMismatch(
                op: op, detail: "input \(input) has \(input[1]) channels, weight \(weight) expects \(weight[1])")
        }
        guard let extentHeight = Self.sum(dilationHeight, times: weight[2] - 1, plus: 1),
              let extentWidth = Self.sum(dilationWidth, times: weight[3] - 1, plus: 1),
              let paddedHeight = Self.sum(2, times: paddingHeight, plus: input[2]),
              let paddedWidth = Self.sum(2, times: paddingWidth, plus: input[3])
        else {
            throw BackendError.shapeMismatch(op: op, detail: "input \(input) and weight \(weight) with \(self) give sizes past Int's range")
        }
        guard paddedHeight >= extentHeight, paddedWidth >= extentWidth else {
            throw BackendError.shapeMismatch(
                op: op,
                detail: "the \(weight[2])×\(weight[3]) kernel spans \(extentHeight)×\(extentWidth) with dilation, more than input \(input) padded by \(paddingHeight)×\(paddingWidth)")
        }
        return ConvPlan(
            batch: input[0], channels: input[1], height: input[2], width: input[3],
            filters: weight[0], kernelHeight: weight[2], kernelWidth: weight[3],
            outputHeight: (paddedHeight - extentHeight) / strideHeight + 1,
            outputWidth: (paddedWidth - extentWidth) / strideWidth + 1,
            descriptor: self)
    }

    /// `a·b + c`, or nil when it overflows an `Int`.
    private static func sum(_ a: Int, times b: Int, plus c: Int) -> Int? {
        let (product, productOverflow) = a.multipliedReportingOverflow(by: b)
        let (sum, sumOverflow) = product.addingReportingOverflow(c)
        return productOverflow || sumOverflow ? nil : sum
    }
}

/// 2-d convolution over NCHW tensors (cross-correlation, as in every deep-learning library) and
/// its gradients.
///
/// Shapes: input `[N, C, H, W]`, weight `[K, C, R, S]`, bias `[K]`, output `[N, K, P, Q]` (see
/// `Conv2DDescriptor` for `P` and `Q`). Every op checks the shapes and devices of all its
/// tensors and throws `BackendError` when they do not fit.
public protocol ConvolutionOps {
    /// `output[n, k, p, q] = bias[k] + Σ_{c, r, s} weight[k, c, r, s] · input[n, c, p·strideH − padH + r·dilH, q·strideW − padW + s·dilW]`
    /// (positions outside the input count as 0), then `activation` when given (one whose
    /// `derivativeFollowsFromOutput`). `output` is overwritten.
    func conv2d(
        _ input: Tensor, weight: Tensor, bias: Tensor?, activation: UnaryOp?, _ descriptor: Conv2DDescriptor,
        into output: Tensor) throws
    /// The gradient with respect to the input; `gradInput` has the input's shape and is overwritten.
    func conv2dBackwardInput(gradOutput: Tensor, weight: Tensor, _ descriptor: Conv2DDescriptor, into gradInput: Tensor) throws
    /// The gradient with respect to the weight; `gradWeight` has the weight's shape. With
    /// `accumulate`, the gradient is added to what `gradWeight` holds; otherwise it overwrites it.
    func conv2dBackwardWeight(
        gradOutput: Tensor, input: Tensor, _ descriptor: Conv2DDescriptor, into gradWeight: Tensor, accumulate: Bool
    ) throws
    /// The gradient with respect to the bias: `gradBias[k] = Σ_{n, p, q} gradOutput[n, k, p, q]`,
    /// added to `gradBias` with `accumulate`, overwriting it otherwise.
    func conv2dBackwardBias(gradOutput: Tensor, into gradBias: Tensor, accumulate: Bool) throws
}

extension ConvolutionOps {
    /// `conv2d` without an activation.
    public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, _ descriptor: Conv2DDescriptor, into output: Tensor) throws {
        try conv2d(input, weight: weight, bias: bias, activation: nil, descriptor, into: output)
    }
}

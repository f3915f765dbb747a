import Backend

/// One convolution case: an NCHW input shape, the filters and kernel, and the descriptor.
public struct ConvCase: Sendable, CustomStringConvertible {
    /// `[N, C, H, W]`.
    public let input: [Int]
    /// K, the number of filters.
    public let filters: Int
    /// R.
    public let kernelHeight: Int
    /// S.
    public let kernelWidth: Int
    /// Stride, padding and dilation.
    public let descriptor: Conv2DDescriptor
    /// Whether the forward pass adds a bias.
    public let hasBias: Bool

    /// A case of `filters` filters of `kernel` (R, S) taps over `input`.
    public init(_ input: [Int], filters: Int, kernel: (Int, Int), _ descriptor: Conv2DDescriptor, bias: Bool = true) {
        self.input = input
        self.filters = filters
        (kernelHeight, kernelWidth) = kernel
        self.descriptor = descriptor
        hasBias = bias
    }

    public var description: String { "\(input) \(variant)" }

    /// Everything but the input shape: filters, kernel, descriptor, bias.
    public var variant: String {
        "K\(filters) k\(kernelHeight)x\(kernelWidth) \(descriptor)\(hasBias ? "" : " no bias")"
    }

    /// Batch 1, channel counts that are no multiple of any tile, kernels 1/3/5, stride 2,
    /// padding 0–2, dilation 2, non-square kernels, strides and paddings.
    public static let all: [ConvCase] = [
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

    /// A batch whose weight gradient sums 3·19·19 = 1,083 pixels: OpenCL through CLBlast splits
    /// that GEMM's depth (`OpenCLDevice.weightGradientSlices`) into two slices and a remainder
    /// of one pixel. Its sums are deep enough that their rounding differs by about 1e-5.
    public static let deepBatch = ConvCase([3, 2, 19, 19], filters: 4, kernel: (3, 3), Conv2DDescriptor(padding: 1))

    /// The cases of the parity catalog: `all` and `deepBatch`.
    public static let catalog = all + [deepBatch]

    /// `[K, C, R, S]`.
    public var weightShape: [Int] { [filters, input[1], kernelHeight, kernelWidth] }

    /// `[N, K, P, Q]`.
    public var outputShape: [Int] {
        let d = descriptor
        let height = (input[2] + 2 * d.paddingHeight - d.dilationHeight * (kernelHeight - 1) - 1) / d.strideHeight + 1
        let width = (input[3] + 2 * d.paddingWidth - d.dilationWidth * (kernelWidth - 1) - 1) / d.strideWidth + 1
        return [input[0], filters, height, width]
    }

    /// Double reference of the forward pass, straight from the definition.
    public func forward(_ x: [Double], _ w: [Double], _ b: [Double]?) -> [Double] {
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
    public func values(seed: UInt64) -> (x: [Float], w: [Float], b: [Float], upstream: [Float]) {
        (randomValues(Tensor.elementCount(input), seed: seed),
         randomValues(Tensor.elementCount(weightShape), seed: seed + 1),
         randomValues(filters, seed: seed + 2),
         randomValues(Tensor.elementCount(outputShape), seed: seed + 3))
    }
}

/// The sizes of one convolution call, and the layout of its im2col scratch.
///
/// Images are processed in chunks of `imagesPerChunk`. A chunk's columns matrix is
/// `C·R·S × chunk·P·Q`: row `(c·R + r)·S + s`, column `b·P·Q + p·Q + q` holds the input value
/// under kernel tap `(r, s)` of channel `c` for output position `(p, q)` of image `b` of the
/// chunk (0 in the padding). With the weight seen as `K × C·R·S`, one GEMM per chunk gives the
/// output as `K × chunk·P·Q`, and the backward passes are GEMMs of the same matrices.
struct ConvPlan {
    var batch: Int
    var channels: Int
    var height: Int
    var width: Int
    var filters: Int
    var kernelHeight: Int
    var kernelWidth: Int
    var outputHeight: Int
    var outputWidth: Int
    var descriptor: Conv2DDescriptor

    var inputShape: [Int] { [batch, channels, height, width] }
    var weightShape: [Int] { [filters, channels, kernelHeight, kernelWidth] }
    var outputShape: [Int] { [batch, filters, outputHeight, outputWidth] }
    /// `C·R·S`: rows of the columns matrix, the reduction length of the forward GEMM.
    var patchSize: Int { channels * kernelHeight * kernelWidth }
    /// `P·Q`: output positions per image and filter.
    var outputPlane: Int { outputHeight * outputWidth }
    /// `H·W`: input positions per image and channel.
    var inputPlane: Int { height * width }
    /// Multiply-adds times two of the forward pass (each backward GEMM does as many).
    var flops: Double { 2 * Double(batch) * Double(filters) * Double(patchSize) * Double(outputPlane) }

    /// Replaces every device's limit on the columns matrix while bound (tests force many chunks).
    @TaskLocal static var columnLimitOverride: Int?

    /// Images per chunk so that a columns matrix holds at most about `maxColumnElements` values
    /// (at least one image, at most the batch).
    func imagesPerChunk(maxColumnElements: Int) -> Int {
        let limit = Self.columnLimitOverride ?? maxColumnElements
        return max(1, min(batch, limit / max(1, patchSize * outputPlane)))
    }

    /// The chunks `start..<start + count` that cover the batch.
    func chunks(imagesPerChunk: Int) -> [Range<Int>] {
        stride(from: 0, to: batch, by: imagesPerChunk).map { $0..<min(batch, $0 + imagesPerChunk) }
    }

    /// The forward GEMM of a chunk of `images`: `output(K × images·P·Q) = weight(K × C·R·S) · columns`.
    func forwardGemm(images: Int) -> GemmDescriptor {
        GemmDescriptor(m: filters, n: images * outputPlane, k: patchSize)
    }

    /// The weight-gradient GEMM of a chunk: `gradWeight(K × C·R·S) (+)= gradOutput(K × images·P·Q) · columnsᵀ`.
    func weightGradientGemm(images: Int, accumulate: Bool) -> GemmDescriptor {
        GemmDescriptor(m: filters, n: patchSize, k: images * outputPlane, transposeB: true, beta: accumulate ? 1 : 0)
    }

    /// The input-gradient GEMM of a chunk: `gradColumns(C·R·S × images·P·Q) = weightᵀ · gradOutput(K × images·P·Q)`.
    func inputGradientGemm(images: Int) -> GemmDescriptor {
        GemmDescriptor(m: patchSize, n: images * outputPlane, k: filters, transposeA: true)
    }
}

extension ConvPlan {
    /// The output positions (rows or columns) whose kernel tap `tap` lands inside the input:
    /// those `o` in `0..<outputs` with `0 <= o·stride − padding + tap·dilation < inputs`.
    static func validOutputs(tap: Int, stride: Int, padding: Int, dilation: Int, inputs: Int, outputs: Int) -> Range<Int> {
        let offset = tap * dilation - padding
        let first = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let last = inputs - 1 - offset < 0 ? 0 : min(outputs, (inputs - 1 - offset) / stride + 1)
        return first < last ? first..<last : 0..<0
    }

    /// `validOutputs` for kernel row `r`.
    func validRows(tap r: Int) -> Range<Int> {
        Self.validOutputs(
            tap: r, stride: descriptor.strideHeight, padding: descriptor.paddingHeight,
            dilation: descriptor.dilationHeight, inputs: height, outputs: outputHeight)
    }

    /// `validOutputs` for kernel column `s`.
    func validColumns(tap s: Int) -> Range<Int> {
        Self.validOutputs(
            tap: s, stride: descriptor.strideWidth, padding: descriptor.paddingWidth,
            dilation: descriptor.dilationWidth, inputs: width, outputs: outputWidth)
    }
}

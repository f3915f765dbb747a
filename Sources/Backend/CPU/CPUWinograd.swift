import CWinogradKernels
import Foundation

/// Winograd F(2×2, 3×3) convolution on the CPU for 3×3 kernels with stride 1 and dilation 1:
/// each 2×2 block of outputs (a tile) comes from the 4×4 input patch under it with 16
/// multiplications per channel pair instead of 36. With `U = G·g·Gᵀ` (the weight, per filter and
/// channel), `V = Bᵀ·d·B` (the input patch, per channel and tile) and, for each of the 16
/// positions ξ, `M[ξ] = U[ξ] · V[ξ]` (`K × C` by `C × tiles`, the packed GEMM), the outputs are
/// `Y = Aᵀ·m·A`. Images go in chunks whose transformed inputs stay within
/// `winogradTileLimit` values; the scratch comes from the device pool. Results differ from the
/// im2col path by rounding only.
extension CPUDevice {
    /// The most values of one chunk's transformed inputs or products (16 MiB of Float).
    static let winogradTileLimit = 1 << 22

    /// Whether convolutions that fit (`WinogradShape`) take the Winograd path: yes unless the
    /// environment sets `SWIFTTUNE_CPU_CONVOLUTION=im2col`.
    static let winogradEnabled = ProcessInfo.processInfo.environment["SWIFTTUNE_CPU_CONVOLUTION"] != "im2col"

    /// Replaces `winogradEnabled` while bound (tests run both paths).
    @TaskLocal static var winogradOverride: Bool?

    /// Replaces the CPU's answer to whether the transforms run their AVX2 build while bound
    /// (tests run the plain build too).
    @TaskLocal static var winogradAVX2Override: Bool?

    /// Whether the transforms' C loops (CWinogradKernels) run their AVX2 build: 1 on CPUs with
    /// AVX2 and FMA, else 0 (read it before `parallelFor`: its threads do not see task locals).
    static var winogradAVX2: Int32 { (winogradAVX2Override ?? CPUInfo.current.hasAVX2AndFMA) ? 1 : 0 }

    /// The fewest input channels and filters for which Winograd pays by default: its 16 GEMMs
    /// are `K × C` by `C × tiles`, and with a dimension below this the packed GEMM runs far under
    /// its peak while the transforms' memory traffic stays, so im2col's one GEMM (depth 9·C) wins
    /// and its scratch is smaller (a first layer on 1 or 3 channels takes im2col).
    static let winogradMinimumChannels = 16

    /// Whether a convolution of `plan` runs as Winograd F(2×2, 3×3): a 3×3 stride-1 undilated
    /// shape, and `winogradOverride` if bound, else `winogradEnabled` and at least
    /// `winogradMinimumChannels` channels and filters.
    static func usesWinograd(_ plan: ConvPlan) -> Bool {
        let d = plan.descriptor
        guard plan.kernelHeight == 3, plan.kernelWidth == 3, d.strideHeight == 1, d.strideWidth == 1,
              d.dilationHeight == 1, d.dilationWidth == 1, plan.batch > 0
        else { return false }
        if let forced = winogradOverride { return forced }
        return winogradEnabled && min(plan.channels, plan.filters) >= winogradMinimumChannels
    }

    /// `conv2d` of `plan` as Winograd F(2×2, 3×3) (`usesWinograd(plan)` must hold).
    func winogradConv2d(
        _ plan: ConvPlan, input x: UnsafeMutablePointer<Float>, weight w: UnsafeMutablePointer<Float>,
        bias: UnsafeMutablePointer<Float>?, activation: UnaryOp?, output y: UnsafeMutablePointer<Float>
    ) throws {
        let shape = WinogradShape(
            batch: plan.batch, inputChannels: plan.channels, height: plan.height, width: plan.width,
            outputChannels: plan.filters, outputHeight: plan.outputHeight, outputWidth: plan.outputWidth,
            paddingHeight: plan.descriptor.paddingHeight, paddingWidth: plan.descriptor.paddingWidth)
        try winograd(shape, input: x, weight: w, flipped: false, bias: bias, activation: activation, output: y)
    }

    /// `conv2dBackwardInput` of `plan` as Winograd F(2×2, 3×3): the gradient is the stride-1
    /// convolution of the output gradient, padded by `2 − padding`, with the weight flipped in
    /// both spatial dimensions and its filters and channels swapped.
    func winogradConv2dBackwardInput(
        _ plan: ConvPlan, gradOutput dy: UnsafeMutablePointer<Float>, weight w: UnsafeMutablePointer<Float>,
        gradInput dx: UnsafeMutablePointer<Float>
    ) throws {
        let shape = WinogradShape(
            batch: plan.batch, inputChannels: plan.filters, height: plan.outputHeight, width: plan.outputWidth,
            outputChannels: plan.channels, outputHeight: plan.height, outputWidth: plan.width,
            paddingHeight: 2 - plan.descriptor.paddingHeight, paddingWidth: 2 - plan.descriptor.paddingWidth)
        try winograd(shape, input: dy, weight: w, flipped: true, bias: nil, activation: nil, output: dx)
    }

    /// The Winograd convolution of `shape`: transform the weight once, then per chunk of images
    /// transform the input tiles, run the 16 GEMMs and transform the products into the output.
    private func winograd(
        _ shape: WinogradShape, input x: UnsafeMutablePointer<Float>, weight w: UnsafeMutablePointer<Float>, flipped: Bool,
        bias: UnsafeMutablePointer<Float>?, activation: UnaryOp?, output y: UnsafeMutablePointer<Float>
    ) throws {
        let op = "conv2d (Winograd)"
        let (inputs, outputs) = (shape.inputChannels, shape.outputChannels)
        let tilesPerImage = shape.tilesPerImage
        let limit = ConvPlan.columnLimitOverride ?? Self.winogradTileLimit
        let images = max(1, min(shape.batch, limit / max(1, 16 * max(inputs, outputs) * tilesPerImage)))
        let transformedWeight = try Tensor(uninitializedShape: [16, outputs, inputs], on: self)
        let transformedInput = try Tensor(uninitializedShape: [16, inputs, images * tilesPerImage], on: self)
        let products = try Tensor(uninitializedShape: [16, outputs, images * tilesPerImage], on: self)
        let u = try pointer(transformedWeight, op: op)
        let v = try pointer(transformedInput, op: op)
        let m = try pointer(products, op: op)
        transformWeight(shape, w, flipped: flipped, into: u)
        for first in stride(from: 0, to: shape.batch, by: images) {
            let chunk = first..<min(shape.batch, first + images)
            let tiles = chunk.count * tilesPerImage
            transformInput(shape, x, images: chunk, into: v)
            try gemm(
                GemmDescriptor(m: outputs, n: tiles, k: inputs, batch: 16),
                a: transformedWeight, b: transformedInput, c: products)
            transformOutput(shape, m, images: chunk, into: y, bias: bias, activation: activation)
        }
    }

    /// `U[ξ][k][c] = (G·g·Gᵀ)[ξ]` with `g = w[k, c]`, or with `flipped`, `g = w[c, k]` turned by
    /// 180° (the backward-input weight); spread over output channels.
    private func transformWeight(
        _ shape: WinogradShape, _ w: UnsafeMutablePointer<Float>, flipped: Bool, into u: UnsafeMutablePointer<Float>
    ) {
        let (inputs, outputs) = (shape.inputChannels, shape.outputChannels)
        let positionStride = outputs * inputs
        // Tap `i` of the kernel for output channel `k` and input channel `c`.
        let (tapStride, channelStride) = flipped ? (-1, outputs * 9) : (1, 9)
        let (tapStart, filterStride) = flipped ? (8, 9) : (0, inputs * 9)
        parallelFor(outputs, grain: max(1, 512 / inputs)) { range in
            for k in range {
                // Eight input channels at a time, one per SIMD lane.
                for first in stride(from: 0, to: inputs, by: 8) {
                    let lanes = min(8, inputs - first)
                    let source = UnsafePointer(w + k * filterStride + first * channelStride + tapStart)
                    func tap(_ i: Int) -> SIMD8<Float> {
                        var values = SIMD8<Float>()
                        for lane in 0..<lanes { values[lane] = source[lane * channelStride + i * tapStride] }
                        return values
                    }
                    /// `G·(a, b, c)`: `(a, (a+b+c)/2, (a−b+c)/2, c)`.
                    func combine(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>)
                        -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
                        (a, 0.5 * (a + b + c), 0.5 * (a - b + c), c)
                    }
                    // G·g over the kernel's columns, then ·Gᵀ over the four rows that gives.
                    let columns = (combine(tap(0), tap(3), tap(6)), combine(tap(1), tap(4), tap(7)), combine(tap(2), tap(5), tap(8)))
                    let rows = [
                        combine(columns.0.0, columns.1.0, columns.2.0), combine(columns.0.1, columns.1.1, columns.2.1),
                        combine(columns.0.2, columns.1.2, columns.2.2), combine(columns.0.3, columns.1.3, columns.2.3),
                    ]
                    let target = u + k * inputs + first
                    for (i, row) in rows.enumerated() {
                        VectorMath.store(row.0, target + 4 * i * positionStride, lanes: lanes)
                        VectorMath.store(row.1, target + (4 * i + 1) * positionStride, lanes: lanes)
                        VectorMath.store(row.2, target + (4 * i + 2) * positionStride, lanes: lanes)
                        VectorMath.store(row.3, target + (4 * i + 3) * positionStride, lanes: lanes)
                    }
                }
            }
        }
    }

    /// `V[ξ][c][t] = (Bᵀ·d·B)[ξ]` for the 4×4 input patch `d` of every tile `t` of the chunk's
    /// images (0 outside the input), with `Bᵀ` rows (1, 0, −1, 0), (0, 1, 1, 0), (0, −1, 1, 0),
    /// (0, 1, 0, −1). Each plane is copied into a zero-padded plane (the padding zeroed once per
    /// task), whose tiles the C loop transforms eight at a time in tile order (one SIMD lane each);
    /// planes (image, channel) spread over cores.
    func transformInput(
        _ shape: WinogradShape, _ x: UnsafeMutablePointer<Float>, images: Range<Int>, into v: UnsafeMutablePointer<Float>
    ) {
        let inputs = shape.inputChannels
        let (height, width) = (shape.height, shape.width)
        let (tileRows, tileColumns) = (shape.tileRows, shape.tileColumns)
        let tilesPerImage = shape.tilesPerImage
        let rowLength = images.count * tilesPerImage
        let positionStride = inputs * rowLength
        // Input row `i − paddingHeight`, column `j − paddingWidth` sits at row `i`, column `j` of
        // the padded plane; 8 tiles read 18 columns, the last row of tiles rows up to 2·tileRows + 1.
        let avx2 = Self.winogradAVX2
        forEachPaddedPlane(
            x, images: images, channels: inputs, height: height, width: width,
            rows: 2 * tileRows + 2, columns: 2 * ((tileColumns + 7) / 8 * 8) + 2,
            top: shape.paddingHeight, left: shape.paddingWidth, tilesPerImage: tilesPerImage
        ) { padded, columns, b, c in
            swifttune_winograd_input_plane(
                padded, columns, tileRows, tileColumns, v + c * rowLength + b * tilesPerImage, positionStride, avx2)
        }
    }

    /// `output[n, k, 2·tileRow + i, 2·tileColumn + j] = (Aᵀ·m·A)[i][j] (+ bias[k])` for every tile
    /// of the chunk (dropping the row or column past an odd output size), with `Aᵀ` rows
    /// (1, 1, 1, 0), (0, 1, −1, −1), then `activation`. Eight consecutive tiles of an image at
    /// a time (one SIMD lane each, across rows of tiles) go, their two columns interleaved, into
    /// an upper and a lower buffer that hold the plane's tiles in order, so each row of tiles
    /// becomes two whole output rows, copied in vectors; planes (image, output channel) spread
    /// over cores.
    private func transformOutput(
        _ shape: WinogradShape, _ m: UnsafeMutablePointer<Float>, images: Range<Int>, into y: UnsafeMutablePointer<Float>,
        bias: UnsafeMutablePointer<Float>?, activation: UnaryOp?
    ) {
        let outputs = shape.outputChannels
        let (outputHeight, outputWidth) = (shape.outputHeight, shape.outputWidth)
        let (tileRows, tileColumns) = (shape.tileRows, shape.tileColumns)
        let tilesPerImage = shape.tilesPerImage
        let rowLength = images.count * tilesPerImage
        let positionStride = outputs * rowLength
        let outputPlane = outputHeight * outputWidth
        // Two values per tile, for whole groups of eight tiles.
        let bufferLength = 2 * ((tilesPerImage + 7) / 8 * 8)
        let avx2 = Self.winogradAVX2
        parallelFor(images.count * outputs, grain: max(1, 1024 / tilesPerImage), chunksPerThread: 4) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * bufferLength) { buffer in
                guard let upperRows = buffer.baseAddress else { return }
                let lowerRows = upperRows + bufferLength
                for planeIndex in range {
                    let (b, k) = (planeIndex / outputs, planeIndex % outputs)
                    let plane = y + ((images.lowerBound + b) * outputs + k) * outputPlane
                    swifttune_winograd_output_plane(
                        m + k * rowLength + b * tilesPerImage, positionStride, tilesPerImage, bias?[k] ?? 0, upperRows, lowerRows,
                        avx2)
                    for tileRow in 0..<tileRows {
                        let top = plane + 2 * tileRow * outputWidth
                        Self.copyRow(upperRows + 2 * tileRow * tileColumns, top, outputWidth)
                        if 2 * tileRow + 1 < outputHeight {
                            Self.copyRow(lowerRows + 2 * tileRow * tileColumns, top + outputWidth, outputWidth)
                        }
                    }
                    if let activation { Self.applyUnary(activation, plane, plane, outputPlane) }
                }
            }
        }
    }

    /// Calls `body(padded, columns, image, channel)` for every (image, channel) plane of
    /// `images` of the NCHW tensor at `source` (`channels` planes of `height × width` per image),
    /// planes spread over cores. `padded` is the plane copied into a `rows × columns` buffer with
    /// its row `r`, column `q` at row `top + r`, column `left + q` (what falls outside the buffer
    /// dropped) and zeros around it; the zeros are written once per task, as they are the same
    /// for every plane.
    func forEachPaddedPlane(
        _ source: UnsafeMutablePointer<Float>, images: Range<Int>, channels: Int, height: Int, width: Int,
        rows: Int, columns: Int, top: Int, left: Int, tilesPerImage: Int,
        _ body: (UnsafeMutablePointer<Float>, _ columns: Int, _ image: Int, _ channel: Int) -> Void
    ) {
        let (firstColumn, endColumn) = (max(0, left), min(columns, left + width))
        let firstRow = max(0, top)
        let filledRows = firstRow..<max(firstRow, min(rows, top + height))
        parallelFor(images.count * channels, grain: max(1, 1024 / tilesPerImage), chunksPerThread: 4) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: rows * columns) { buffer in
                guard let padded = buffer.baseAddress else { return }
                padded.update(repeating: 0, count: rows * columns)
                for planeIndex in range {
                    let (b, c) = (planeIndex / channels, planeIndex % channels)
                    let plane = source + ((images.lowerBound + b) * channels + c) * height * width
                    if firstColumn < endColumn {
                        for i in filledRows {
                            Self.copyRow(
                                plane + (i - top) * width + firstColumn - left, padded + i * columns + firstColumn,
                                endColumn - firstColumn)
                        }
                    }
                    body(padded, columns, b, c)
                }
            }
        }
    }

    /// `target[i] = source[i]` for `i < count`, in 8-float vectors (rows of a small plane are
    /// too short for a call to memmove to pay).
    @inline(__always)
    static func copyRow(_ source: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>, _ count: Int) {
        var i = 0
        while i + 8 <= count {
            VectorMath.store(VectorMath.load(source + i), target + i)
            i += 8
        }
        while i < count {
            target[i] = source[i]
            i += 1
        }
    }
}

/// The sizes of one Winograd convolution: a stride-1 3×3 correlation of an input
/// `[batch, inputChannels, height, width]` into `[batch, outputChannels, outputHeight, outputWidth]`,
/// the input padded by `paddingHeight × paddingWidth` on each side (a negative padding crops).
struct WinogradShape {
    var batch: Int
    var inputChannels: Int
    var height: Int
    var width: Int
    var outputChannels: Int
    var outputHeight: Int
    var outputWidth: Int
    var paddingHeight: Int
    var paddingWidth: Int

    /// 2×2 output tiles down and across (the last one cut off when the size is odd).
    var tileRows: Int { (outputHeight + 1) / 2 }
    var tileColumns: Int { (outputWidth + 1) / 2 }
    var tilesPerImage: Int { tileRows * tileColumns }
}

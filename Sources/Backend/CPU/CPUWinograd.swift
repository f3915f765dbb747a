import CWinogradKernels
import Foundation

/// Winograd convolution on the CPU for 3×3 kernels with stride 1 and dilation 1, as F(2×2, 3×3)
/// or F(4×4, 3×3) (`WinogradTile`, chosen per convolution by `winogradTile(for:)`): each 2×2
/// block of outputs (a tile) comes from the 4×4 input patch under it with 16 multiplications per
/// channel pair instead of 36, or each 4×4 block from its 6×6 patch with 36 instead of 144. With
/// `U = G·g·Gᵀ` (the weight, per filter and channel), `V = Bᵀ·d·B` (the input patch, per channel
/// and tile) and, for each of the 16 or 36 positions ξ, `M[ξ] = U[ξ] · V[ξ]` (`K × C` by
/// `C × tiles`, the packed GEMM), the outputs are `Y = Aᵀ·m·A`. Images go in chunks whose
/// transformed inputs stay within `winogradTileLimit` values; the scratch comes from the device
/// pool. Results differ from the im2col path by rounding only, F(4×4)'s about ten times more
/// than F(2×2)'s (its transforms have factors up to 8 and 1/24: about 5e-6 of a unit-sized
/// output against 5e-7).
extension CPUDevice {
    /// The most values of one chunk's transformed inputs or products (2 MiB of Float), so that
    /// they are still cached when the GEMMs read what the transform wrote (ResNet-18's training
    /// step took about 5% less CPU time than with 16 MiB).
    static let winogradTileLimit = 1 << 19

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

    /// Whether a convolution of `plan` runs as Winograd: a 3×3 stride-1 undilated
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

    /// `conv2d` of `plan` as Winograd (`usesWinograd(plan)` must hold).
    func winogradConv2d(
        _ plan: ConvPlan, input x: UnsafeMutablePointer<Float>, weight w: UnsafeMutablePointer<Float>,
        bias: UnsafeMutablePointer<Float>?, activation: UnaryOp?, output y: UnsafeMutablePointer<Float>
    ) throws {
        try winograd(
            WinogradShape(forward: plan), input: x, weight: w, flipped: false, bias: bias, activation: activation, output: y)
    }

    /// `conv2dBackwardInput` of `plan` as Winograd: the gradient is the stride-1
    /// convolution of the output gradient, padded by `2 − padding`, with the weight flipped in
    /// both spatial dimensions and its filters and channels swapped.
    func winogradConv2dBackwardInput(
        _ plan: ConvPlan, gradOutput dy: UnsafeMutablePointer<Float>, weight w: UnsafeMutablePointer<Float>,
        gradInput dx: UnsafeMutablePointer<Float>
    ) throws {
        try winograd(
            WinogradShape(backwardInput: plan), input: dy, weight: w, flipped: true, bias: nil, activation: nil, output: dx)
    }

    /// The Winograd convolution of `shape`: transform the weight once, then per chunk of images
    /// transform the input tiles, run the 16 or 36 GEMMs and transform the products into the output.
    private func winograd(
        _ shape: WinogradShape, input x: UnsafeMutablePointer<Float>, weight w: UnsafeMutablePointer<Float>, flipped: Bool,
        bias: UnsafeMutablePointer<Float>?, activation: UnaryOp?, output y: UnsafeMutablePointer<Float>
    ) throws {
        let op = "conv2d (Winograd)"
        let (inputs, outputs) = (shape.inputChannels, shape.outputChannels)
        let (tilesPerImage, positions) = (shape.tilesPerImage, shape.tile.positions)
        let images = shape.imagesPerChunk
        let transformedWeight = try Tensor(uninitializedShape: [positions, outputs, inputs], on: self)
        let transformedInput = try Tensor(uninitializedShape: [positions, inputs, images * tilesPerImage], on: self)
        let products = try Tensor(uninitializedShape: [positions, outputs, images * tilesPerImage], on: self)
        let u = try pointer(transformedWeight, op: op)
        let v = try pointer(transformedInput, op: op)
        let m = try pointer(products, op: op)
        transformWeight(shape, w, flipped: flipped, into: u)
        for first in stride(from: 0, to: shape.batch, by: images) {
            let chunk = first..<min(shape.batch, first + images)
            let tiles = chunk.count * tilesPerImage
            transformInput(shape, x, images: chunk, into: v)
            try gemm(
                GemmDescriptor(m: outputs, n: tiles, k: inputs, batch: positions),
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
        if shape.tile == .four {
            let avx2 = Self.winogradAVX2
            parallelFor(outputs, grain: max(1, 512 / inputs)) { range in
                swifttune_winograd4_weight(
                    w, range.lowerBound, range.upperBound, inputs, filterStride, channelStride, tapStart, tapStride, u,
                    positionStride, avx2)
            }
            return
        }
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

    /// `V[ξ][c][t] = (Bᵀ·d·B)[ξ]` for the input patch `d` of every tile `t` of the chunk's images
    /// (0 outside the input), with F(2×2)'s `Bᵀ` rows (1, 0, −1, 0), (0, 1, 1, 0), (0, −1, 1, 0),
    /// (0, 1, 0, −1) or F(4×4)'s (winograd4_transforms.c). The planes are copied into zero-padded
    /// planes (`transformPatches`), whose tiles the C loop transforms eight at a time in tile
    /// order (one SIMD lane each).
    func transformInput(
        _ shape: WinogradShape, _ x: UnsafeMutablePointer<Float>, images: Range<Int>, into v: UnsafeMutablePointer<Float>
    ) {
        let tileRows = shape.tileRows, tileColumns = shape.tileColumns
        // Input row `i − paddingHeight`, column `j − paddingWidth` sits at row `i`, column `j` of
        // the padded plane. F(2×2): 8 tiles read 18 columns, the last row of tiles rows up to
        // 2·tileRows + 1; F(4×4): every tile's 6×6 patch lies in the plane.
        let four = shape.tile == .four
        transformPatches(
            x, images: images, channels: shape.inputChannels, height: shape.height, width: shape.width,
            rows: four ? 4 * tileRows + 2 : 2 * tileRows + 2,
            columns: four ? 4 * tileColumns + 2 : 2 * ((tileColumns + 7) / 8 * 8) + 2,
            top: shape.paddingHeight, left: shape.paddingWidth, shape: shape, into: v,
            with: PatchTransforms(four: swifttune_winograd4_input_planes, two: swifttune_winograd_input_plane))
    }

    /// `output[n, k, m·tileRow + i, m·tileColumn + j] = (Aᵀ·m·A)[i][j] (+ bias[k])` for every tile
    /// of the chunk (tile size `m`; dropping the rows and columns past the output), with
    /// F(2×2)'s `Aᵀ` rows (1, 1, 1, 0), (0, 1, −1, −1) or F(4×4)'s, then `activation`. Eight
    /// consecutive tiles at a time (one SIMD lane each, across rows of tiles and across the
    /// `planesPerCall` images of a call) go, their columns interleaved, into `m` row buffers (one
    /// per row of a tile) that hold the tiles in order, so each row of tiles becomes `m` whole
    /// output rows, copied in vectors; (output channel, images) pairs spread over cores.
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
        let size = shape.tile.outputSize
        let planesPerCall = shape.planesPerCall
        let groups = (images.count + planesPerCall - 1) / planesPerCall
        // `size` values per tile and row buffer, for whole groups of eight tiles.
        let bufferLength = size * ((planesPerCall * tilesPerImage + 7) / 8 * 8)
        let avx2 = Self.winogradAVX2
        parallelFor(groups * outputs, grain: max(1, 1024 / (planesPerCall * tilesPerImage)), chunksPerThread: 4) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: size * bufferLength) { buffer in
                guard let rows = buffer.baseAddress else { return }
                for index in range {
                    let (group, k) = (index / outputs, index % outputs)
                    let first = group * planesPerCall
                    let count = min(planesPerCall, images.count - first)
                    let source = m + k * rowLength + first * tilesPerImage
                    if size == 4 {
                        swifttune_winograd4_output_plane(
                            source, positionStride, count * tilesPerImage, bias?[k] ?? 0, rows, bufferLength, avx2)
                    } else {
                        swifttune_winograd_output_plane(
                            source, positionStride, count * tilesPerImage, bias?[k] ?? 0, rows, rows + bufferLength, avx2)
                    }
                    for p in 0..<count {
                        let plane = y + ((images.lowerBound + first + p) * outputs + k) * outputPlane
                        let tiles = rows + size * p * tilesPerImage
                        for tileRow in 0..<tileRows {
                            for i in 0..<min(size, outputHeight - size * tileRow) {
                                Self.copyRow(
                                    tiles + i * bufferLength + size * tileRow * tileColumns,
                                    plane + (size * tileRow + i) * outputWidth, outputWidth)
                            }
                        }
                        if let activation { Self.applyUnary(activation, plane, plane, outputPlane) }
                    }
                }
            }
        }
    }
}

/// The sizes of one Winograd convolution: a stride-1 3×3 correlation of an input
/// `[batch, inputChannels, height, width]` into `[batch, outputChannels, outputHeight, outputWidth]`,
/// the input padded by `paddingHeight × paddingWidth` on each side (a negative padding crops),
/// computed in output tiles of `tile`.
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
    var tile: WinogradTile = .two

    /// Output tiles down and across (the last ones cut off where the size is no multiple of the tile's).
    var tileRows: Int { (outputHeight + tile.outputSize - 1) / tile.outputSize }
    var tileColumns: Int { (outputWidth + tile.outputSize - 1) / tile.outputSize }
    var tilesPerImage: Int { tileRows * tileColumns }

    /// Images whose planes one call of the transforms' C loops takes (those of one channel): enough
    /// for 32 tiles, so that small planes still fill the eight SIMD lanes.
    var planesPerCall: Int { max(1, 32 / tilesPerImage) }

    /// Images per chunk: as many as keep the transformed inputs and products within
    /// `winogradTileLimit` (or `ConvPlan.columnLimitOverride`) values, at least one.
    var imagesPerChunk: Int {
        let limit = ConvPlan.columnLimitOverride ?? CPUDevice.winogradTileLimit
        return max(1, min(batch, limit / max(1, tile.positions * max(inputChannels, outputChannels) * tilesPerImage)))
    }
}

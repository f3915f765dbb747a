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

    /// Whether a convolution of `plan` runs as Winograd F(2×2, 3×3).
    static func usesWinograd(_ plan: ConvPlan) -> Bool {
        let d = plan.descriptor
        return (winogradOverride ?? winogradEnabled) && plan.kernelHeight == 3 && plan.kernelWidth == 3
            && d.strideHeight == 1 && d.strideWidth == 1 && d.dilationHeight == 1 && d.dilationWidth == 1
            && plan.batch > 0
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
        parallelFor(outputs, grain: max(1, 4096 / inputs)) { range in
            for k in range {
                for c in 0..<inputs {
                    var g = SIMD16<Float>()
                    if flipped {
                        let source = w + (c * outputs + k) * 9
                        for i in 0..<9 { g[i] = source[8 - i] }
                    } else {
                        let source = w + (k * inputs + c) * 9
                        for i in 0..<9 { g[i] = source[i] }
                    }
                    // G·g: 4×3, rows (g0, (g0+g1+g2)/2, (g0−g1+g2)/2, g2) over g's rows.
                    var t = SIMD16<Float>()
                    for j in 0..<3 {
                        let (a, b, c2) = (g[j], g[3 + j], g[6 + j])
                        t[j] = a
                        t[3 + j] = 0.5 * (a + b + c2)
                        t[6 + j] = 0.5 * (a - b + c2)
                        t[9 + j] = c2
                    }
                    // (G·g)·Gᵀ: the same combination over each row's three values.
                    let target = u + k * inputs + c
                    for i in 0..<4 {
                        let (a, b, c2) = (t[3 * i], t[3 * i + 1], t[3 * i + 2])
                        target[(4 * i) * positionStride] = a
                        target[(4 * i + 1) * positionStride] = 0.5 * (a + b + c2)
                        target[(4 * i + 2) * positionStride] = 0.5 * (a - b + c2)
                        target[(4 * i + 3) * positionStride] = c2
                    }
                }
            }
        }
    }

    /// `V[ξ][c][t] = (Bᵀ·d·B)[ξ]` for the 4×4 input patch `d` of every tile `t` of the chunk's
    /// images (0 outside the input); spread over planes (image, channel).
    private func transformInput(
        _ shape: WinogradShape, _ x: UnsafeMutablePointer<Float>, images: Range<Int>, into v: UnsafeMutablePointer<Float>
    ) {
        let inputs = shape.inputChannels
        let (height, width) = (shape.height, shape.width)
        let (tileRows, tileColumns) = (shape.tileRows, shape.tileColumns)
        let tilesPerImage = shape.tilesPerImage
        let rowLength = images.count * tilesPerImage
        let positionStride = inputs * rowLength
        parallelFor(images.count * inputs, grain: max(1, 1024 / tilesPerImage), chunksPerThread: 4) { range in
            for planeIndex in range {
                let (b, c) = (planeIndex / inputs, planeIndex % inputs)
                let plane = UnsafePointer(x + ((images.lowerBound + b) * inputs + c) * height * width)
                var target = v + c * rowLength + b * tilesPerImage
                for tileRow in 0..<tileRows {
                    let top = 2 * tileRow - shape.paddingHeight
                    for tileColumn in 0..<tileColumns {
                        let left = 2 * tileColumn - shape.paddingWidth
                        var d = SIMD16<Float>()
                        if top >= 0, top + 4 <= height, left >= 0, left + 4 <= width {
                            for i in 0..<4 {
                                let row = plane + (top + i) * width + left
                                d[4 * i] = row[0]
                                d[4 * i + 1] = row[1]
                                d[4 * i + 2] = row[2]
                                d[4 * i + 3] = row[3]
                            }
                        } else {
                            for i in 0..<4 where (0..<height).contains(top + i) {
                                let row = plane + (top + i) * width
                                for j in 0..<4 where (0..<width).contains(left + j) { d[4 * i + j] = row[left + j] }
                            }
                        }
                        let e = Self.inputTransform(d)
                        for position in 0..<16 { target[position * positionStride] = e[position] }
                        target += 1
                    }
                }
            }
        }
    }

    /// `Bᵀ·d·B` for a 4×4 patch in row-major order, with `Bᵀ` rows (1, 0, −1, 0), (0, 1, 1, 0),
    /// (0, −1, 1, 0), (0, 1, 0, −1).
    @inline(__always)
    static func inputTransform(_ d: SIMD16<Float>) -> SIMD16<Float> {
        // Rows: Bᵀ·d, four rows as vectors of four.
        let r0 = SIMD4(d[0], d[1], d[2], d[3])
        let r1 = SIMD4(d[4], d[5], d[6], d[7])
        let r2 = SIMD4(d[8], d[9], d[10], d[11])
        let r3 = SIMD4(d[12], d[13], d[14], d[15])
        let rows = (r0 - r2, r1 + r2, r2 - r1, r1 - r3)
        // Columns: (Bᵀ·d)·B applies the same combination within each row.
        func columns(_ row: SIMD4<Float>) -> SIMD4<Float> {
            SIMD4(row[0] - row[2], row[1] + row[2], row[2] - row[1], row[1] - row[3])
        }
        let e = SIMD16(lowHalf: SIMD8(lowHalf: columns(rows.0), highHalf: columns(rows.1)),
                       highHalf: SIMD8(lowHalf: columns(rows.2), highHalf: columns(rows.3)))
        return e
    }

    /// `output[n, k, 2·tileRow + i, 2·tileColumn + j] = (Aᵀ·m·A)[i][j] (+ bias[k])` for every tile
    /// of the chunk (dropping the row or column past an odd output size), then `activation`;
    /// spread over planes (image, output channel).
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
        parallelFor(images.count * outputs, grain: max(1, 1024 / tilesPerImage), chunksPerThread: 4) { range in
            for planeIndex in range {
                let (b, k) = (planeIndex / outputs, planeIndex % outputs)
                let plane = y + ((images.lowerBound + b) * outputs + k) * outputPlane
                let shift = bias?[k] ?? 0
                var source = UnsafePointer(m + k * rowLength + b * tilesPerImage)
                for tileRow in 0..<tileRows {
                    let top = 2 * tileRow
                    for tileColumn in 0..<tileColumns {
                        let left = 2 * tileColumn
                        var e = SIMD16<Float>()
                        for position in 0..<16 { e[position] = source[position * positionStride] }
                        source += 1
                        let o = Self.outputTransform(e) + shift
                        let row = plane + top * outputWidth + left
                        if top + 2 <= outputHeight, left + 2 <= outputWidth {
                            row[0] = o[0]
                            row[1] = o[1]
                            row[outputWidth] = o[2]
                            row[outputWidth + 1] = o[3]
                        } else {
                            for i in 0..<2 where top + i < outputHeight {
                                for j in 0..<2 where left + j < outputWidth { row[i * outputWidth + j] = o[2 * i + j] }
                            }
                        }
                    }
                }
                if let activation { Self.applyUnary(activation, plane, plane, outputPlane) }
            }
        }
    }

    /// `Aᵀ·m·A` for a 4×4 product in row-major order, with `Aᵀ` rows (1, 1, 1, 0), (0, 1, −1, −1):
    /// the 2×2 outputs in row-major order.
    @inline(__always)
    static func outputTransform(_ m: SIMD16<Float>) -> SIMD4<Float> {
        let r0 = SIMD4(m[0], m[1], m[2], m[3])
        let r1 = SIMD4(m[4], m[5], m[6], m[7])
        let r2 = SIMD4(m[8], m[9], m[10], m[11])
        let r3 = SIMD4(m[12], m[13], m[14], m[15])
        let top = r0 + r1 + r2
        let bottom = r1 - r2 - r3
        return SIMD4(
            top[0] + top[1] + top[2], top[1] - top[2] - top[3],
            bottom[0] + bottom[1] + bottom[2], bottom[1] - bottom[2] - bottom[3])
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

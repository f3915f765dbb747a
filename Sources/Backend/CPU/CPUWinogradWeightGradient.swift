import CWinogradKernels
import Foundation

/// The weight gradient of a 3×3 stride-1 convolution as Winograd F(2×2, 3×3) or F(4×4, 3×3)
/// (the forward pass's tile), the transpose of the forward pass (CPUWinograd.swift): with
/// `V = Bᵀ·d·B` (the input patch of a tile, as the forward transforms it) and `E = A·e·Aᵀ` (the
/// tile's 2×2 or 4×4 output gradient `e`, 0 past the output), `dU[ξ][k][c] = Σ_t E[ξ][k][t] · V[ξ][c][t]`
/// (16 or 36 GEMMs `K × tiles` by `tiles × C`), and the gradient of the 3×3 weight is `Gᵀ·dU·G`.
/// That is 16 multiplications per 2×2 tile and channel pair, or 36 per 4×4 tile, where im2col's
/// GEMM takes 36 or 144. Images go in chunks like the forward pass; the chunks' GEMMs add into
/// one `dU`, so the final transform runs once.
extension CPUDevice {
    /// Whether weight gradients take Winograd where the forward pass does: yes unless the
    /// environment sets `SWIFTTUNE_CPU_WEIGHT_GRADIENT=im2col` (to compare the two paths).
    static let winogradWeightGradientEnabled = ProcessInfo.processInfo.environment["SWIFTTUNE_CPU_WEIGHT_GRADIENT"] != "im2col"

    /// Whether the weight gradient of `plan` runs as Winograd: `usesWinograd(plan)`, and
    /// `winogradWeightGradientEnabled` unless `winogradOverride` is bound.
    static func usesWinogradWeightGradient(_ plan: ConvPlan) -> Bool {
        usesWinograd(plan) && (winogradOverride != nil || winogradWeightGradientEnabled)
    }

    /// `conv2dBackwardWeight` of `plan` as Winograd (`usesWinogradWeightGradient(plan)`
    /// must hold): `gradWeight = Σ dy ⋆ x`, added to its values when `accumulate`.
    func winogradConv2dBackwardWeight(
        _ plan: ConvPlan, gradOutput dy: UnsafeMutablePointer<Float>, input x: UnsafeMutablePointer<Float>,
        gradWeight dw: UnsafeMutablePointer<Float>, accumulate: Bool
    ) throws {
        let op = "conv2dBackwardWeight (Winograd)"
        let shape = WinogradShape(forward: plan)
        let (inputs, outputs) = (shape.inputChannels, shape.outputChannels)
        let (tilesPerImage, positions) = (shape.tilesPerImage, shape.tile.positions)
        let images = shape.imagesPerChunk
        let transformedInput = try Tensor(uninitializedShape: [positions, inputs, images * tilesPerImage], on: self)
        let transformedGradient = try Tensor(uninitializedShape: [positions, outputs, images * tilesPerImage], on: self)
        let weightGradient = try Tensor(uninitializedShape: [positions, outputs, inputs], on: self)
        let v = try pointer(transformedInput, op: op)
        let e = try pointer(transformedGradient, op: op)
        for (index, first) in stride(from: 0, to: shape.batch, by: images).enumerated() {
            let chunk = first..<min(shape.batch, first + images)
            let tiles = chunk.count * tilesPerImage
            transformInput(shape, x, images: chunk, into: v)
            transformGradOutput(shape, dy, images: chunk, into: e)
            try gemm(
                GemmDescriptor(m: outputs, n: inputs, k: tiles, transposeB: true, beta: index > 0 ? 1 : 0, batch: positions),
                a: transformedGradient, b: transformedInput, c: weightGradient)
        }
        transformWeightGradient(shape, try pointer(weightGradient, op: op), into: dw, accumulate: accumulate)
    }

    /// `E[ξ][k][t] = (A·e·Aᵀ)[ξ]` for the output gradient `e` of every tile `t` of the chunk's
    /// images (0 past the output), with F(2×2)'s `A` rows (1, 0), (1, 1), (1, −1), (0, −1) or
    /// F(4×4)'s (winograd4_transforms.c). The chunk's tiles lie densely (`images.count · tilesPerImage`
    /// per row of E). The planes are copied into zero-padded planes (`transformPatches`), whose
    /// tiles the C loop transforms eight at a time in tile order (one SIMD lane each).
    private func transformGradOutput(
        _ shape: WinogradShape, _ dy: UnsafeMutablePointer<Float>, images: Range<Int>, into e: UnsafeMutablePointer<Float>
    ) {
        let tileRows = shape.tileRows, tileColumns = shape.tileColumns
        // F(2×2): eight tiles read 16 columns; the last group may read past the plane's width.
        // Either tile: the last row or column of tiles may read past the plane.
        let four = shape.tile == .four
        transformPatches(
            dy, images: images, channels: shape.outputChannels, height: shape.outputHeight, width: shape.outputWidth,
            rows: four ? 4 * tileRows : 2 * tileRows, columns: four ? 4 * tileColumns : 2 * ((tileColumns + 7) / 8 * 8),
            top: 0, left: 0, shape: shape, into: e,
            with: PatchTransforms(four: swifttune_winograd4_gradient_planes, two: swifttune_winograd_gradient_plane))
    }

    /// `dw[k, c] (+)= Gᵀ·dU[k][c]·G`, with F(2×2)'s `Gᵀ` rows (1, ½, ½, 0), (0, ½, −½, 0),
    /// (0, ½, ½, 1) or F(4×4)'s: eight input channels at a time, one per SIMD lane; spread over filters.
    private func transformWeightGradient(
        _ shape: WinogradShape, _ du: UnsafeMutablePointer<Float>, into dw: UnsafeMutablePointer<Float>, accumulate: Bool
    ) {
        let (inputs, outputs) = (shape.inputChannels, shape.outputChannels)
        let positionStride = outputs * inputs
        if shape.tile == .four {
            let avx2 = Self.winogradAVX2
            parallelFor(outputs, grain: max(1, 512 / inputs)) { range in
                swifttune_winograd4_weight_gradient(
                    du, range.lowerBound, range.upperBound, inputs, positionStride, dw, accumulate ? 1 : 0, avx2)
            }
            return
        }
        parallelFor(outputs, grain: max(1, 512 / inputs)) { range in
            for k in range {
                for first in stride(from: 0, to: inputs, by: 8) {
                    let lanes = min(8, inputs - first)
                    let source = UnsafePointer(du + k * inputs + first)
                    /// `Gᵀ·(a, b, c, d)`.
                    func combine(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>, _ d: SIMD8<Float>)
                        -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
                        let (sum, difference) = (0.5 * (b + c), 0.5 * (b - c))
                        return (a + sum, difference, sum + d)
                    }
                    /// Row `i` of dU (positions 4i ..< 4i + 4), with Gᵀ applied across it.
                    func row(_ i: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
                        let position = { (j: Int) in VectorMath.load(source + (4 * i + j) * positionStride, lanes: lanes) }
                        return combine(position(0), position(1), position(2), position(3))
                    }
                    let (r0, r1, r2, r3) = (row(0), row(1), row(2), row(3))
                    // Gᵀ down the rows: taps (0, s), (1, s), (2, s) for column s.
                    let taps = [combine(r0.0, r1.0, r2.0, r3.0), combine(r0.1, r1.1, r2.1, r3.1), combine(r0.2, r1.2, r2.2, r3.2)]
                    let target = dw + (k * inputs + first) * 9
                    for lane in 0..<lanes {
                        let kernel = target + lane * 9
                        for (s, column) in taps.enumerated() {
                            let values = (column.0[lane], column.1[lane], column.2[lane])
                            if accumulate {
                                kernel[s] += values.0
                                kernel[3 + s] += values.1
                                kernel[6 + s] += values.2
                            } else {
                                kernel[s] = values.0
                                kernel[3 + s] = values.1
                                kernel[6 + s] = values.2
                            }
                        }
                    }
                }
            }
        }
    }
}

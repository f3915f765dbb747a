// The inner loops of the CPU's Winograd F(2×2, 3×3) transforms (Backend/CPU/CPUWinograd*.swift),
// in C so that on x86-64 CPUs with AVX2 and FMA they run in 8-float AVX registers: Swift code
// without compiler flags gets 4-float SSE, and its eight-tile groups spill. Each function takes
// `avx2`: nonzero runs the AVX2 build of the same code (callers check that the CPU has AVX2 and
// FMA), zero the build for the target's baseline instruction set.
#ifndef SWIFTTUNE_CWINOGRADKERNELS_H
#define SWIFTTUNE_CWINOGRADKERNELS_H

#include <stddef.h>

/// One row of tiles of the input transform: for tile `t < tiles`, whose 4×4 patch is columns
/// `2t ..< 2t + 4` of the four rows at `rows + i * row_stride` (each readable up to
/// `2 * ceil8(tiles) + 2` floats), writes `(Bᵀ·d·B)[ξ]` to `target[ξ * position_stride + t]`.
void swifttune_winograd_input_row(
    const float *rows, ptrdiff_t row_stride, ptrdiff_t tiles, float *target, ptrdiff_t position_stride, int avx2);

/// One row of tiles of the weight gradient's output-gradient transform: for tile `t < tiles`,
/// whose 2×2 gradient is columns `2t, 2t + 1` of the two rows at `rows + i * row_stride` (each
/// readable up to `2 * ceil8(tiles)` floats), writes `(A·e·Aᵀ)[ξ]` to
/// `target[ξ * position_stride + t]`.
void swifttune_winograd_gradient_row(
    const float *rows, ptrdiff_t row_stride, ptrdiff_t tiles, float *target, ptrdiff_t position_stride, int avx2);

/// The output transform of one plane's `tiles` tiles: for tile `t`, with the 16 products at
/// `source[ξ * position_stride + t]`, writes `(Aᵀ·m·A) + shift`'s upper row to `upper[2t]`,
/// `upper[2t + 1]` and its lower row to `lower[2t]`, `lower[2t + 1]` (both writable up to
/// `2 * ceil8(tiles)` floats).
void swifttune_winograd_output_plane(
    const float *source, ptrdiff_t position_stride, ptrdiff_t tiles, float shift, float *upper, float *lower, int avx2);

#endif

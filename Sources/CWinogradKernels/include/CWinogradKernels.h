// The inner loops of the CPU's Winograd F(2×2, 3×3) transforms (Backend/CPU/CPUWinograd*.swift),
// in C so that on x86-64 CPUs with AVX2 and FMA they run in 8-float AVX registers: Swift code
// without compiler flags gets 4-float SSE, and its eight-tile groups spill. Each function takes
// `avx2`: nonzero runs the AVX2 build of the same code (callers check that the CPU has AVX2 and
// FMA), zero the build for the target's baseline instruction set.
#ifndef SWIFTTUNE_CWINOGRADKERNELS_H
#define SWIFTTUNE_CWINOGRADKERNELS_H

#include <stddef.h>

/// The input transform of one plane: for tile `t < tile_rows · tile_columns` (row `t / tile_columns`,
/// column `t % tile_columns`), whose 4×4 patch is columns `2·column ..< 2·column + 4` of rows
/// `2·row ..< 2·row + 4` of the zero-padded `plane` (rows `row_stride` apart, each readable up to
/// `2 * ceil8(tile_columns) + 2` floats), writes `(Bᵀ·d·B)[ξ]` to `target[ξ * position_stride + t]`.
/// Eight tiles per vector, in tile order (a group may span rows of tiles).
void swifttune_winograd_input_plane(
    const float *plane, ptrdiff_t row_stride, ptrdiff_t tile_rows, ptrdiff_t tile_columns, float *target,
    ptrdiff_t position_stride, int avx2);

/// The weight gradient's output-gradient transform of one plane: for tile `t` as above, whose
/// 2×2 gradient is columns `2·column, 2·column + 1` of rows `2·row, 2·row + 1` of the zero-padded
/// `plane` (each row readable up to `2 * ceil8(tile_columns)` floats), writes `(A·e·Aᵀ)[ξ]` to
/// `target[ξ * position_stride + t]`.
void swifttune_winograd_gradient_plane(
    const float *plane, ptrdiff_t row_stride, ptrdiff_t tile_rows, ptrdiff_t tile_columns, float *target,
    ptrdiff_t position_stride, int avx2);

/// The output transform of one plane's `tiles` tiles: for tile `t`, with the 16 products at
/// `source[ξ * position_stride + t]`, writes `(Aᵀ·m·A) + shift`'s upper row to `upper[2t]`,
/// `upper[2t + 1]` and its lower row to `lower[2t]`, `lower[2t + 1]` (both writable up to
/// `2 * ceil8(tiles)` floats).
void swifttune_winograd_output_plane(
    const float *source, ptrdiff_t position_stride, ptrdiff_t tiles, float shift, float *upper, float *lower, int avx2);

#endif

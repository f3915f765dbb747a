// The inner loops of the CPU's Winograd F(2×2, 3×3) and F(4×4, 3×3) transforms (Backend/CPU/CPUWinograd*.swift),
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

// F(4×4, 3×3) (winograd4_transforms.c): 6×6 patches and transformed tiles, position ξ = 6·row + column.

/// The input transform of `planes_count` planes (`plane_stride` floats apart, so that planes with
/// few tiles still fill the vectors): for tile `t < planes_count · tile_rows · tile_columns` (of
/// plane `p = t / (tile_rows · tile_columns)`, in it row `r` and column `c` in row-major order),
/// whose 6×6 patch is columns `4c ..< 4c + 6` of rows `4r ..< 4r + 6` of zero-padded plane `p`
/// (rows `row_stride` apart, each readable up to `4 * tile_columns + 2` floats), writes
/// `(Bᵀ·d·B)[ξ]` to `target[ξ * position_stride + t]`.
void swifttune_winograd4_input_planes(
    const float *planes, ptrdiff_t row_stride, ptrdiff_t plane_stride, ptrdiff_t planes_count, ptrdiff_t tile_rows,
    ptrdiff_t tile_columns, float *target, ptrdiff_t position_stride, int avx2);

/// The weight gradient's output-gradient transform of `planes_count` planes: for tile `t` as
/// above, whose 4×4 gradient is columns `4c ..< 4c + 4` of rows `4r ..< 4r + 4` of zero-padded
/// plane `p` (each row readable up to `4 * tile_columns` floats), writes `(A·e·Aᵀ)[ξ]` to
/// `target[ξ * position_stride + t]`.
void swifttune_winograd4_gradient_planes(
    const float *planes, ptrdiff_t row_stride, ptrdiff_t plane_stride, ptrdiff_t planes_count, ptrdiff_t tile_rows,
    ptrdiff_t tile_columns, float *target, ptrdiff_t position_stride, int avx2);

/// The output transform of one plane's `tiles` tiles: for tile `t`, with the 36 products at
/// `source[ξ * position_stride + t]`, writes row `i` of `(Aᵀ·m·A) + shift` to
/// `rows[i * row_length + 4t ..< i * row_length + 4t + 4]` (each of the four rows writable up to
/// `4 * ceil8(tiles)` floats).
void swifttune_winograd4_output_plane(
    const float *source, ptrdiff_t position_stride, ptrdiff_t tiles, float shift, float *rows, ptrdiff_t row_length,
    int avx2);

/// The weight transform of filters `first_filter ..< end_filter`: for filter `k` and input channel
/// `c < inputs`, with tap `t` (row-major, 0 ..< 9) of the 3×3 kernel at
/// `w[k * filter_stride + c * channel_stride + tap_start + t * tap_stride]`, writes `(G·g·Gᵀ)[ξ]` to
/// `u[ξ * position_stride + k * inputs + c]`.
void swifttune_winograd4_weight(
    const float *w, ptrdiff_t first_filter, ptrdiff_t end_filter, ptrdiff_t inputs, ptrdiff_t filter_stride,
    ptrdiff_t channel_stride, ptrdiff_t tap_start, ptrdiff_t tap_stride, float *u, ptrdiff_t position_stride, int avx2);

/// The weight gradient's last transform for filters `first_filter ..< end_filter`: with dU's 36
/// positions at `du[ξ * position_stride + k * inputs + c]`, writes (or with `accumulate` nonzero,
/// adds) `Gᵀ·dU·G` to the 3×3 kernel `dw[(k * inputs + c) * 9 ..< (k * inputs + c) * 9 + 9]`.
void swifttune_winograd4_weight_gradient(
    const float *du, ptrdiff_t first_filter, ptrdiff_t end_filter, ptrdiff_t inputs, ptrdiff_t position_stride, float *dw,
    int accumulate, int avx2);

#endif

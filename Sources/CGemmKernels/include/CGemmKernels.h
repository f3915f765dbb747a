// The CPU GEMM's packing and register kernels, in C. On x86-64 the register tile is AVX2 and FMA
// assembly, which needs no compiler flag (a Swift package that passes code-generation flags such
// as -target-cpu cannot be used as a dependency by version); callers check that the CPU has both
// before they multiply. Packing in C and the tile in assembly stay fast in debug builds too.
#ifndef SWIFTTUNE_CGEMMKERNELS_H
#define SWIFTTUNE_CGEMMKERNELS_H

#include <stddef.h>

/// Rows of C one register tile holds (MR).
#define SWIFTTUNE_GEMM_TILE_ROWS 6
/// Columns of C one register tile holds (NR): two 8-float vectors.
#define SWIFTTUNE_GEMM_TILE_COLUMNS 16

/// Packs rows `row_start..<row_end` and columns `depth_start..<depth_end` of A (element `(i, p)`
/// at `a[i * row_stride + p * column_stride]`) into panels of SWIFTTUNE_GEMM_TILE_ROWS rows. Panel
/// `t` starts at `packed + t * SWIFTTUNE_GEMM_TILE_ROWS * depth` and holds, for each `p`, the
/// panel's rows at `p`; the rows past `row_end` are zeros.
void swifttune_gemm_pack_a(
    const float *a, ptrdiff_t row_stride, ptrdiff_t column_stride, ptrdiff_t row_start, ptrdiff_t row_end,
    ptrdiff_t depth_start, ptrdiff_t depth_end, float *packed);

/// Packs rows `depth_start..<depth_end` and columns `column_start..<column_end` of B (element
/// `(p, j)` at `b[p * row_stride + j * column_stride]`) into panels of
/// SWIFTTUNE_GEMM_TILE_COLUMNS columns. Panel `t` starts at
/// `packed + t * SWIFTTUNE_GEMM_TILE_COLUMNS * depth` and holds, for each `p`, the panel's
/// columns at `p`; the columns past `column_end` are zeros.
void swifttune_gemm_pack_b(
    const float *b, ptrdiff_t row_stride, ptrdiff_t column_stride, ptrdiff_t depth_start, ptrdiff_t depth_end,
    ptrdiff_t column_start, ptrdiff_t column_end, float *packed);

/// Multiplies a packed A block by a packed B panel into C:
/// `C[0..<rows, 0..<columns] = alpha * A·B + beta * C`, one register tile at a time. With
/// `beta == 0`, C is not read (it may hold NaN).
///
/// - packed_a: `rows × depth`, packed by swifttune_gemm_pack_a.
/// - packed_b: `depth × columns`, packed by swifttune_gemm_pack_b.
/// - c: the block's top-left element of C; row `i` starts at `c + i * ldc`.
void swifttune_gemm_multiply_packed(
    const float *packed_a, const float *packed_b, ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t depth,
    float *c, ptrdiff_t ldc, float alpha, float beta);

#endif

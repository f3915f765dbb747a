// Packing copies a block of A or B into the order the register kernels read it, so the kernels'
// loads are sequential and aligned, and pads partial tiles with zeros so the kernels never need
// a remainder loop over k, rows or columns.
#include <string.h>
#include "CGemmKernels.h"
#if defined(__SSE__)
#include <xmmintrin.h>
#endif

enum { tile_rows = SWIFTTUNE_GEMM_TILE_ROWS, tile_columns = SWIFTTUNE_GEMM_TILE_COLUMNS };

#if defined(__SSE__)
/// Packs a full panel of transposed B: column `j` (0 ..< 16) is the contiguous run
/// `first + j * column_stride` over `depth` values. Four columns at a time go through 4 × 4
/// transposes (SSE, which every x86-64 CPU has), so each load and store moves four floats and
/// only four columns are read at once (they are often a multiple of 4 KB apart and would evict
/// each other from L1 if all 16 were).
static void pack_b_transposed_panel(const float *first, ptrdiff_t column_stride, ptrdiff_t depth, float *out) {
    for (ptrdiff_t j = 0; j < tile_columns; j += 4) {
        const float *c0 = first + j * column_stride;
        const float *c1 = c0 + column_stride, *c2 = c1 + column_stride, *c3 = c2 + column_stride;
        float *target = out + j;
        ptrdiff_t p = 0;
        for (; p + 4 <= depth; p += 4, target += 4 * tile_columns) {
            __m128 r0 = _mm_loadu_ps(c0 + p), r1 = _mm_loadu_ps(c1 + p);
            __m128 r2 = _mm_loadu_ps(c2 + p), r3 = _mm_loadu_ps(c3 + p);
            _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
            _mm_storeu_ps(target, r0);
            _mm_storeu_ps(target + tile_columns, r1);
            _mm_storeu_ps(target + 2 * tile_columns, r2);
            _mm_storeu_ps(target + 3 * tile_columns, r3);
        }
        for (; p < depth; p++, target += tile_columns) {
            target[0] = c0[p];
            target[1] = c1[p];
            target[2] = c2[p];
            target[3] = c3[p];
        }
    }
}
#endif

void swifttune_gemm_pack_a(
    const float *a, ptrdiff_t row_stride, ptrdiff_t column_stride, ptrdiff_t row_start, ptrdiff_t row_end,
    ptrdiff_t depth_start, ptrdiff_t depth_end, float *packed)
{
    float *panel = packed;
    for (ptrdiff_t top = row_start; top < row_end; top += tile_rows) {
        ptrdiff_t height = row_end - top < tile_rows ? row_end - top : tile_rows;
        float *out = panel;
        if (row_stride == 1) {
            // op(A) is A transposed in memory: the panel's rows at one p are contiguous.
            for (ptrdiff_t p = depth_start; p < depth_end; p++, out += tile_rows) {
                const float *source = a + p * column_stride + top;
                for (ptrdiff_t r = 0; r < tile_rows; r++) out[r] = r < height ? source[r] : 0;
            }
        } else if (height == tile_rows) {
            // A full panel of row-major A: gather the six rows' values at each p.
            const float *row = a + top * row_stride;
            for (ptrdiff_t p = depth_start; p < depth_end; p++, out += tile_rows) {
                const float *source = row + p * column_stride;
                for (ptrdiff_t r = 0; r < tile_rows; r++) out[r] = source[r * row_stride];
            }
        } else {
            // The last, partial panel: the rows C does not have are zeros.
            for (ptrdiff_t p = depth_start; p < depth_end; p++, out += tile_rows) {
                for (ptrdiff_t r = 0; r < tile_rows; r++) {
                    out[r] = r < height ? a[(top + r) * row_stride + p * column_stride] : 0;
                }
            }
        }
        panel += tile_rows * (depth_end - depth_start);
    }
}

void swifttune_gemm_pack_b(
    const float *b, ptrdiff_t row_stride, ptrdiff_t column_stride, ptrdiff_t depth_start, ptrdiff_t depth_end,
    ptrdiff_t column_start, ptrdiff_t column_end, float *packed)
{
    float *panel = packed;
    for (ptrdiff_t left = column_start; left < column_end; left += tile_columns) {
        ptrdiff_t width = column_end - left < tile_columns ? column_end - left : tile_columns;
        float *out = panel;
        if (column_stride == 1 && width == tile_columns) {
            // Row-major B: the panel's columns at one p are 16 contiguous floats.
            for (ptrdiff_t p = depth_start; p < depth_end; p++, out += tile_columns) {
                memcpy(out, b + p * row_stride + left, sizeof(float) * tile_columns);
            }
#if defined(__SSE__)
        } else if (row_stride == 1 && width == tile_columns) {
            pack_b_transposed_panel(b + left * column_stride + depth_start, column_stride, depth_end - depth_start, out);
#endif
        } else if (row_stride == 1) {
            // Transposed B, a partial panel (or any panel without SSE): each column is a
            // contiguous run along p. Copy column by column (the columns are `column_stride`
            // apart, often a multiple of 4 KB, so reading all 16 at one p would keep evicting
            // each other from L1).
            for (ptrdiff_t j = 0; j < tile_columns; j++) {
                float *target = out + j;
                if (j < width) {
                    const float *source = b + (left + j) * column_stride;
                    for (ptrdiff_t p = depth_start; p < depth_end; p++, target += tile_columns) *target = source[p];
                } else {
                    for (ptrdiff_t p = depth_start; p < depth_end; p++, target += tile_columns) *target = 0;
                }
            }
        } else {
            // A partial panel of row-major B: the runs along j are shorter than a tile.
            for (ptrdiff_t p = depth_start; p < depth_end; p++, out += tile_columns) {
                for (ptrdiff_t j = 0; j < tile_columns; j++) {
                    out[j] = j < width ? b[p * row_stride + (left + j) * column_stride] : 0;
                }
            }
        }
        panel += tile_columns * (depth_end - depth_start);
    }
}

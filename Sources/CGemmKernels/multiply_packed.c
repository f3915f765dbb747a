// The macro kernel: the loop over a packed block's register tiles.
#include "CGemmKernels.h"
#include "tile.h"

void swifttune_gemm_multiply_packed(
    const float *packed_a, const float *packed_b, ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t depth,
    float *c, ptrdiff_t ldc, float alpha, float beta)
{
    // B's panels outside A's: one B micro-panel (depth × 16 floats) stays in L1 while the A
    // block streams from L2.
    for (ptrdiff_t left = 0; left < columns; left += SWIFTTUNE_GEMM_TILE_COLUMNS) {
        const float *b_panel = packed_b + left * depth;
        ptrdiff_t width = columns - left < SWIFTTUNE_GEMM_TILE_COLUMNS ? columns - left : SWIFTTUNE_GEMM_TILE_COLUMNS;
        for (ptrdiff_t top = 0; top < rows; top += SWIFTTUNE_GEMM_TILE_ROWS) {
            ptrdiff_t height = rows - top < SWIFTTUNE_GEMM_TILE_ROWS ? rows - top : SWIFTTUNE_GEMM_TILE_ROWS;
            swifttune_gemm_tile(
                depth, packed_a + top * depth, b_panel, c + top * ldc + left, ldc, height, width, alpha, beta);
        }
    }
}

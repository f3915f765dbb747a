// The register tile on other architectures: plain loops with fused multiply-adds, for the
// compiler to vectorize as it can.
#include "tile.h"

#if !defined(__x86_64__) && !defined(__aarch64__)
#include <math.h>

void swifttune_gemm_tile(
    ptrdiff_t depth, const float *a, const float *b, float *c, ptrdiff_t ldc, ptrdiff_t rows,
    ptrdiff_t columns, float alpha, float beta)
{
    float tile[SWIFTTUNE_GEMM_TILE_ROWS * SWIFTTUNE_GEMM_TILE_COLUMNS] = {0};
    for (ptrdiff_t p = 0; p < depth; p++) {
        for (int i = 0; i < SWIFTTUNE_GEMM_TILE_ROWS; i++) {
            for (int j = 0; j < SWIFTTUNE_GEMM_TILE_COLUMNS; j++) {
                float *sum = &tile[i * SWIFTTUNE_GEMM_TILE_COLUMNS + j];
                *sum = fmaf(a[i], b[j], *sum);
            }
        }
        a += SWIFTTUNE_GEMM_TILE_ROWS;
        b += SWIFTTUNE_GEMM_TILE_COLUMNS;
    }
    for (int k = 0; k < SWIFTTUNE_GEMM_TILE_ROWS * SWIFTTUNE_GEMM_TILE_COLUMNS; k++) tile[k] *= alpha;
    swifttune_gemm_store_edge(tile, c, ldc, rows, columns, beta);
}
#endif

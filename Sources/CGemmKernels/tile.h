// One register tile of the GEMM; each architecture's file defines it.
#ifndef SWIFTTUNE_CGEMMKERNELS_TILE_H
#define SWIFTTUNE_CGEMMKERNELS_TILE_H

#include "CGemmKernels.h"

/// Computes one tile, `C = alpha * (A panel · B panel) + beta * C`, for the `rows × columns`
/// (at most 6 × 16) of it that C has; the rest of the tile is dropped. With `beta == 0`, C is
/// not read.
void swifttune_gemm_tile(
    ptrdiff_t depth, const float *a, const float *b, float *c, ptrdiff_t ldc, ptrdiff_t rows,
    ptrdiff_t columns, float alpha, float beta);

/// Copies `rows × columns` of a full tile (SWIFTTUNE_GEMM_TILE_COLUMNS floats a row) that holds
/// `alpha * A·B` into C as `tile + beta * C`; with `beta == 0`, C is not read.
static inline void swifttune_gemm_store_edge(
    const float *tile, float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns, float beta)
{
    for (ptrdiff_t i = 0; i < rows; i++) {
        const float *source = tile + i * SWIFTTUNE_GEMM_TILE_COLUMNS;
        float *target = c + i * ldc;
        for (ptrdiff_t j = 0; j < columns; j++) {
            if (beta == 0) {
                target[j] = source[j];
            } else {
                float scaled = beta * target[j];  // two statements: never fused, on any architecture
                target[j] = source[j] + scaled;
            }
        }
    }
}

#endif

// The register tile on arm64, whose baseline has vector fused multiply-adds: 24 four-float NEON
// registers hold the 6 × 16 tile of C across the whole depth.
#include "tile.h"

#if defined(__aarch64__)
#include <arm_neon.h>

enum { rows_ = SWIFTTUNE_GEMM_TILE_ROWS, vectors_ = SWIFTTUNE_GEMM_TILE_COLUMNS / 4 };

void swifttune_gemm_tile(
    ptrdiff_t depth, const float *a, const float *b, float *c, ptrdiff_t ldc, ptrdiff_t rows,
    ptrdiff_t columns, float alpha, float beta)
{
    float32x4_t tile[rows_][vectors_];
    for (int i = 0; i < rows_; i++) {
        for (int v = 0; v < vectors_; v++) tile[i][v] = vdupq_n_f32(0);
    }
    for (ptrdiff_t p = 0; p < depth; p++) {
        float32x4_t panel[vectors_];
        for (int v = 0; v < vectors_; v++) panel[v] = vld1q_f32(b + 4 * v);
        for (int i = 0; i < rows_; i++) {
            float32x4_t broadcast = vdupq_n_f32(a[i]);
            for (int v = 0; v < vectors_; v++) tile[i][v] = vfmaq_f32(tile[i][v], broadcast, panel[v]);
        }
        a += SWIFTTUNE_GEMM_TILE_ROWS;
        b += SWIFTTUNE_GEMM_TILE_COLUMNS;
    }
    // A full tile goes straight to C; an edge tile is finished in a scratch tile, then the
    // part C has is copied.
    int full = rows == rows_ && columns == SWIFTTUNE_GEMM_TILE_COLUMNS;
    float scratch[rows_ * SWIFTTUNE_GEMM_TILE_COLUMNS];
    float *target = full ? c : scratch;
    ptrdiff_t stride = full ? ldc : SWIFTTUNE_GEMM_TILE_COLUMNS;
    float target_beta = full ? beta : 0;
    for (int i = 0; i < rows_; i++) {
        float *row = target + i * stride;
        for (int v = 0; v < vectors_; v++) {
            float32x4_t result = vmulq_n_f32(tile[i][v], alpha);
            if (target_beta != 0) result = vfmaq_n_f32(result, vld1q_f32(row + 4 * v), target_beta);
            vst1q_f32(row + 4 * v, result);
        }
    }
    if (!full) {
        swifttune_gemm_store_edge(scratch, c, ldc, rows, columns, beta);
    }
}
#endif

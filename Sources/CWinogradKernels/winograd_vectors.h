// Vector helpers shared by the Winograd transforms of both tile sizes (winograd_transforms.c for
// F(2×2, 3×3), winograd4_transforms.c for F(4×4, 3×3)); private to this target.
#ifndef SWIFTTUNE_WINOGRAD_VECTORS_H
#define SWIFTTUNE_WINOGRAD_VECTORS_H

#include <stddef.h>
#include <string.h>

typedef float v8 __attribute__((vector_size(32)));

#define INLINE static inline __attribute__((always_inline))

// Vectors pass by pointer: by value, their calling convention would differ between the builds.

/// Copies the first `count` (below 8) floats from `source` to `target` in pieces of 4, 2 and 1
/// (fixed-size copies the compiler inlines; a loop would become a call to memcpy).
INLINE void copy_short(float *target, const float *source, ptrdiff_t count) {
    ptrdiff_t done = 0;
    if (count & 4) { memcpy(target, source, 4 * sizeof(float)); done = 4; }
    if (count & 2) { memcpy(target + done, source + done, 2 * sizeof(float)); done += 2; }
    if (count & 1) target[done] = source[done];
}

/// `*v` = the 8 floats at `p` (or its first `lanes`, zeros after them).
INLINE void load_part(v8 *v, const float *p, ptrdiff_t lanes) {
    if (lanes == 8) { memcpy(v, p, sizeof *v); return; }
    float values[8] = {0};
    copy_short(values, p, lanes);
    memcpy(v, values, sizeof *v);
}

/// Stores the first `lanes` values of `*v` at `p`.
INLINE void store_part(float *p, const v8 *v, ptrdiff_t lanes) {
    if (lanes == 8) { memcpy(p, v, sizeof *v); return; }
    float values[8];
    memcpy(values, v, sizeof values);
    copy_short(p, values, lanes);
}

/// The tile row and column of tile `t` of a plane with `tile_columns` tiles per row.
typedef struct { ptrdiff_t row, column; } tile_position;

INLINE tile_position position_of(ptrdiff_t t, ptrdiff_t tile_columns) {
    tile_position position = {t / tile_columns, t % tile_columns};
    return position;
}

#if defined(__x86_64__)
#define AVX2 __attribute__((target("avx2,fma")))
#endif

#endif

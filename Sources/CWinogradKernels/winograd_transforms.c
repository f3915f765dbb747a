// The Winograd transforms' inner loops (see CWinogradKernels.h), eight tiles per vector. Each is
// written once as an always-inline body and built twice: plainly, and on x86-64 inside a
// function with the AVX2 and FMA target attribute (no compiler flag), where the same vector
// code runs in 256-bit registers.
#include "CWinogradKernels.h"
#include "winograd_vectors.h"

/// Values 0, 2, …, 14 and 1, 3, …, 15 of the 16 floats at `p`.
INLINE void load_even_odd(const float *p, v8 *even, v8 *odd) {
    v8 low, high;
    memcpy(&low, p, sizeof low);
    memcpy(&high, p + 8, sizeof high);
    *even = __builtin_shufflevector(low, high, 0, 2, 4, 6, 8, 10, 12, 14);
    *odd = __builtin_shufflevector(low, high, 1, 3, 5, 7, 9, 11, 13, 15);
}

/// `p[2l] = left[l]`, `p[2l + 1] = right[l]`.
INLINE void store_interleaved(float *p, const v8 *left, const v8 *right) {
    v8 low = __builtin_shufflevector(*left, *right, 0, 8, 1, 9, 2, 10, 3, 11);
    v8 high = __builtin_shufflevector(*left, *right, 4, 12, 5, 13, 6, 14, 7, 15);
    memcpy(p, &low, sizeof low);
    memcpy(p + 8, &high, sizeof high);
}

/// For the `lanes` tiles from `first` on, the two values at columns `2·column + offset` and
/// `2·column + offset + 1` of row `2·row + i` of `plane`, lane `l`'s at `pairs[2l]` (zeros for
/// lanes past `lanes`): the tiles of a group that spans rows of tiles, gathered.
INLINE void gather_pairs(
    const float *plane, ptrdiff_t row_stride, ptrdiff_t tile_columns, ptrdiff_t first, ptrdiff_t lanes, int i, int offset,
    float *pairs) {
    tile_position position = position_of(first, tile_columns);
    for (ptrdiff_t l = 0; l < 8; l++) {
        if (l < lanes) {
            memcpy(pairs + 2 * l, plane + (2 * position.row + i) * row_stride + 2 * position.column + offset, 2 * sizeof(float));
        } else {
            pairs[2 * l] = pairs[2 * l + 1] = 0;
        }
        if (++position.column == tile_columns) {
            position.column = 0;
            position.row += 1;
        }
    }
}

/// Values 2l + offset and 2l + offset + 1 of row `2·row + i` of the eight tiles' patches, as
/// even and odd halves: straight from the row when the group lies in one row of tiles.
INLINE void load_columns(
    const float *plane, ptrdiff_t row_stride, ptrdiff_t tile_columns, ptrdiff_t first, ptrdiff_t lanes, int i, int offset,
    v8 *even, v8 *odd) {
    tile_position position = position_of(first, tile_columns);
    if (lanes == 8 && position.column + 8 <= tile_columns) {
        load_even_odd(plane + (2 * position.row + i) * row_stride + 2 * position.column + offset, even, odd);
        return;
    }
    float pairs[16];
    gather_pairs(plane, row_stride, tile_columns, first, lanes, i, offset, pairs);
    load_even_odd(pairs, even, odd);
}

INLINE void input_plane(
    const float *plane, ptrdiff_t row_stride, ptrdiff_t tile_rows, ptrdiff_t tile_columns, float *target,
    ptrdiff_t position_stride) {
    ptrdiff_t tiles = tile_rows * tile_columns;
    for (ptrdiff_t first = 0; first < tiles; first += 8) {
        ptrdiff_t lanes = tiles - first < 8 ? tiles - first : 8;
        // d·B for each of the four rows: (d0 − d2, d1 + d2, d2 − d1, d1 − d3).
        v8 c[4][4];
        for (int i = 0; i < 4; i++) {
            v8 d0, d1, d2, d3;
            load_columns(plane, row_stride, tile_columns, first, lanes, i, 0, &d0, &d1);
            load_columns(plane, row_stride, tile_columns, first, lanes, i, 2, &d2, &d3);
            c[i][0] = d0 - d2;
            c[i][1] = d1 + d2;
            c[i][2] = d2 - d1;
            c[i][3] = d1 - d3;
        }
        float *out = target + first;
        for (int j = 0; j < 4; j++) {
            v8 rows[4] = {c[0][j] - c[2][j], c[1][j] + c[2][j], c[2][j] - c[1][j], c[1][j] - c[3][j]};
            for (int i = 0; i < 4; i++) store_part(out + (4 * i + j) * position_stride, &rows[i], lanes);
        }
    }
}

INLINE void gradient_plane(
    const float *plane, ptrdiff_t row_stride, ptrdiff_t tile_rows, ptrdiff_t tile_columns, float *target,
    ptrdiff_t position_stride) {
    ptrdiff_t tiles = tile_rows * tile_columns;
    for (ptrdiff_t first = 0; first < tiles; first += 8) {
        ptrdiff_t lanes = tiles - first < 8 ? tiles - first : 8;
        // e·Aᵀ for each of the two rows: (p, p + q, p − q, −q).
        v8 c[2][4];
        for (int i = 0; i < 2; i++) {
            v8 p, q;
            load_columns(plane, row_stride, tile_columns, first, lanes, i, 0, &p, &q);
            c[i][0] = p;
            c[i][1] = p + q;
            c[i][2] = p - q;
            c[i][3] = -q;
        }
        float *out = target + first;
        for (int j = 0; j < 4; j++) {
            v8 rows[4] = {c[0][j], c[0][j] + c[1][j], c[0][j] - c[1][j], -c[1][j]};
            for (int i = 0; i < 4; i++) store_part(out + (4 * i + j) * position_stride, &rows[i], lanes);
        }
    }
}

INLINE void output_plane(
    const float *source, ptrdiff_t position_stride, ptrdiff_t tiles, float shift, float *upper, float *lower) {
    v8 bias = {shift, shift, shift, shift, shift, shift, shift, shift};
    for (ptrdiff_t first = 0; first < tiles; first += 8) {
        ptrdiff_t lanes = tiles - first < 8 ? tiles - first : 8;
        // m·A for each of the four rows: (m0 + m1 + m2, m1 − m2 − m3).
        v8 left[4], right[4];
        for (int i = 0; i < 4; i++) {
            const float *row = source + 4 * i * position_stride + first;
            v8 m[4];
            for (int j = 0; j < 4; j++) load_part(&m[j], row + j * position_stride, lanes);
            left[i] = m[0] + m[1] + m[2];
            right[i] = m[1] - m[2] - m[3];
        }
        v8 upper_left = left[0] + left[1] + left[2] + bias, upper_right = right[0] + right[1] + right[2] + bias;
        v8 lower_left = left[1] - left[2] - left[3] + bias, lower_right = right[1] - right[2] - right[3] + bias;
        store_interleaved(upper + 2 * first, &upper_left, &upper_right);
        store_interleaved(lower + 2 * first, &lower_left, &lower_right);
    }
}

#if defined(__x86_64__)
AVX2 static void input_plane_avx2(
    const float *plane, ptrdiff_t row_stride, ptrdiff_t tile_rows, ptrdiff_t tile_columns, float *target,
    ptrdiff_t position_stride) {
    input_plane(plane, row_stride, tile_rows, tile_columns, target, position_stride);
}
AVX2 static void gradient_plane_avx2(
    const float *plane, ptrdiff_t row_stride, ptrdiff_t tile_rows, ptrdiff_t tile_columns, float *target,
    ptrdiff_t position_stride) {
    gradient_plane(plane, row_stride, tile_rows, tile_columns, target, position_stride);
}
AVX2 static void output_plane_avx2(
    const float *source, ptrdiff_t position_stride, ptrdiff_t tiles, float shift, float *upper, float *lower) {
    output_plane(source, position_stride, tiles, shift, upper, lower);
}
#endif

void swifttune_winograd_input_plane(
    const float *plane, ptrdiff_t row_stride, ptrdiff_t tile_rows, ptrdiff_t tile_columns, float *target,
    ptrdiff_t position_stride, int avx2) {
#if defined(__x86_64__)
    if (avx2) { input_plane_avx2(plane, row_stride, tile_rows, tile_columns, target, position_stride); return; }
#endif
    (void)avx2;
    input_plane(plane, row_stride, tile_rows, tile_columns, target, position_stride);
}

void swifttune_winograd_gradient_plane(
    const float *plane, ptrdiff_t row_stride, ptrdiff_t tile_rows, ptrdiff_t tile_columns, float *target,
    ptrdiff_t position_stride, int avx2) {
#if defined(__x86_64__)
    if (avx2) { gradient_plane_avx2(plane, row_stride, tile_rows, tile_columns, target, position_stride); return; }
#endif
    (void)avx2;
    gradient_plane(plane, row_stride, tile_rows, tile_columns, target, position_stride);
}

void swifttune_winograd_output_plane(
    const float *source, ptrdiff_t position_stride, ptrdiff_t tiles, float shift, float *upper, float *lower, int avx2) {
#if defined(__x86_64__)
    if (avx2) { output_plane_avx2(source, position_stride, tiles, shift, upper, lower); return; }
#endif
    (void)avx2;
    output_plane(source, position_stride, tiles, shift, upper, lower);
}

// The inner loops of Winograd F(4×4, 3×3) (see CWinogradKernels.h), eight tiles (or eight
// channels) per vector, built plainly and, on x86-64, with the AVX2 and FMA target attribute as
// winograd_transforms.c is. The points are 0, ±1, ±2 and ∞:
//   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
//   G  = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1/24 1/12 ⅙; 1/24 −1/12 ⅙; 0 0 1]
//   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]
// A 6×6 matrix of positions is stored row by row: position ξ = 6·row + column.
#include "CWinogradKernels.h"
#include "winograd_vectors.h"

/// `r = Bᵀ·d` for six vectors.
INLINE void apply_bt(const v8 *d, v8 *r) {
    v8 t0 = d[4] - 4.0f * d[2], t1 = d[3] - 4.0f * d[1];
    v8 t2 = d[4] - d[2], t3 = 2.0f * (d[3] - d[1]);
    r[0] = 4.0f * d[0] - 5.0f * d[2] + d[4];
    r[1] = t0 + t1;
    r[2] = t0 - t1;
    r[3] = t2 + t3;
    r[4] = t2 - t3;
    r[5] = 4.0f * d[1] - 5.0f * d[3] + d[5];
}

/// `y = Aᵀ·m` (four values from six).
INLINE void apply_at(const v8 *m, v8 *y) {
    v8 sum12 = m[1] + m[2], difference12 = m[1] - m[2];
    v8 sum34 = m[3] + m[4], difference34 = m[3] - m[4];
    y[0] = m[0] + sum12 + sum34;
    y[1] = difference12 + 2.0f * difference34;
    y[2] = sum12 + 4.0f * sum34;
    y[3] = difference12 + 8.0f * difference34 + m[5];
}

/// `r = A·e` (six values from four).
INLINE void apply_a(const v8 *e, v8 *r) {
    v8 even = e[0] + e[2], odd = e[1] + e[3];
    v8 evenScaled = e[0] + 4.0f * e[2], oddScaled = 2.0f * e[1] + 8.0f * e[3];
    r[0] = e[0];
    r[1] = even + odd;
    r[2] = even - odd;
    r[3] = evenScaled + oddScaled;
    r[4] = evenScaled - oddScaled;
    r[5] = e[3];
}

/// `u = G·g` (six values from three).
INLINE void apply_g(const v8 *g, v8 *u) {
    v8 outer = -(g[0] + g[2]) * (1.0f / 6), scaled = g[0] * (1.0f / 24) + g[2] * (1.0f / 6);
    u[0] = 0.25f * g[0];
    u[1] = outer - g[1] * (1.0f / 6);
    u[2] = outer + g[1] * (1.0f / 6);
    u[3] = scaled + g[1] * (1.0f / 12);
    u[4] = scaled - g[1] * (1.0f / 12);
    u[5] = g[2];
}

/// `g = Gᵀ·a` (three values from six).
INLINE void apply_gt(const v8 *a, v8 *g) {
    v8 sum12 = a[1] + a[2], sum34 = a[3] + a[4];
    g[0] = 0.25f * a[0] - sum12 * (1.0f / 6) + sum34 * (1.0f / 24);
    g[1] = (a[2] - a[1]) * (1.0f / 6) + (a[3] - a[4]) * (1.0f / 12);
    g[2] = (sum34 - sum12) * (1.0f / 6) + a[5];
}

/// `values[j][l] = p[4l + j]` for `j < count` (4 or 6): the first `count` values of eight
/// patches that start four floats apart (reads `p[0 ..< 28 + count]`).
INLINE void load_stride4(const float *p, int count, v8 *values) {
    v8 a0, a1, a2, a3;
    memcpy(&a0, p, sizeof a0);
    memcpy(&a1, p + 8, sizeof a1);
    memcpy(&a2, p + 16, sizeof a2);
    memcpy(&a3, p + 24, sizeof a3);
    v8 low02 = __builtin_shufflevector(a0, a1, 0, 4, 8, 12, 2, 6, 10, 14);
    v8 low13 = __builtin_shufflevector(a0, a1, 1, 5, 9, 13, 3, 7, 11, 15);
    v8 high02 = __builtin_shufflevector(a2, a3, 0, 4, 8, 12, 2, 6, 10, 14);
    v8 high13 = __builtin_shufflevector(a2, a3, 1, 5, 9, 13, 3, 7, 11, 15);
    values[0] = __builtin_shufflevector(low02, high02, 0, 1, 2, 3, 8, 9, 10, 11);
    values[1] = __builtin_shufflevector(low13, high13, 0, 1, 2, 3, 8, 9, 10, 11);
    values[2] = __builtin_shufflevector(low02, high02, 4, 5, 6, 7, 12, 13, 14, 15);
    values[3] = __builtin_shufflevector(low13, high13, 4, 5, 6, 7, 12, 13, 14, 15);
    if (count == 6) {
        // Values 4 and 5 of patch l are values 0 and 1 of patch l + 1.
        v8 next = {0};
        memcpy(&next, p + 32, 2 * sizeof(float));
        values[4] = __builtin_shufflevector(values[0], next, 1, 2, 3, 4, 5, 6, 7, 8);
        values[5] = __builtin_shufflevector(values[1], next, 1, 2, 3, 4, 5, 6, 7, 9);
    }
}

/// Where the planes' tiles lie: `planes` planes `plane_stride` floats apart, each with
/// `tile_rows × tile_columns` tiles, rows of the plane `row_stride` apart.
typedef struct { ptrdiff_t row_stride, plane_stride, tile_rows, tile_columns; } plane_layout;

/// Row `i` of the patches of the `lanes` tiles from `first` on (tiles numbered through the
/// planes in order): `values[j]`, lane `l`, is column `4·column + j` of row `4·row + i` of the
/// plane of tile `first + l` (zero past `lanes`), `j < count`. Straight from the row when the
/// eight tiles lie in one row of tiles.
INLINE void load_patch_row(
    const float *planes, const plane_layout *layout, ptrdiff_t first, ptrdiff_t lanes, int i, int count, v8 *values) {
    ptrdiff_t tiles_per_plane = layout->tile_rows * layout->tile_columns;
    ptrdiff_t plane = first / tiles_per_plane;
    tile_position position = position_of(first % tiles_per_plane, layout->tile_columns);
    if (lanes == 8 && position.column + 8 <= layout->tile_columns) {
        load_stride4(
            planes + plane * layout->plane_stride + (4 * position.row + i) * layout->row_stride + 4 * position.column, count,
            values);
        return;
    }
    float gathered[6][8];
    for (ptrdiff_t l = 0; l < 8; l++) {
        const float *source =
            planes + plane * layout->plane_stride + (4 * position.row + i) * layout->row_stride + 4 * position.column;
        for (int j = 0; j < count; j++) gathered[j][l] = l < lanes ? source[j] : 0;
        if (++position.column == layout->tile_columns) {
            position.column = 0;
            if (++position.row == layout->tile_rows) {
                position.row = 0;
                plane += 1;
            }
        }
    }
    for (int j = 0; j < count; j++) memcpy(&values[j], gathered[j], sizeof values[j]);
}

/// Transforms every tile of `planes_count` planes, eight at a time, into the 6 × 6 transformed
/// positions `position_stride` apart at `target`: `across` (6 outputs from `patch_size` values)
/// along each of the patch's `patch_size` rows, then down each of the six columns.
INLINE void transform_planes(
    const float *planes, const plane_layout *layout, ptrdiff_t planes_count, float *target, ptrdiff_t position_stride,
    int patch_size, void (*across)(const v8 *, v8 *)) {
    ptrdiff_t tiles = planes_count * layout->tile_rows * layout->tile_columns;
    for (ptrdiff_t first = 0; first < tiles; first += 8) {
        ptrdiff_t lanes = tiles - first < 8 ? tiles - first : 8;
        // rows[j][i]: value j of `across` applied to the patch's row i.
        v8 rows[6][6];
        for (int i = 0; i < patch_size; i++) {
            v8 d[6], r[6];
            load_patch_row(planes, layout, first, lanes, i, patch_size, d);
            across(d, r);
            for (int j = 0; j < 6; j++) rows[j][i] = r[j];
        }
        float *out = target + first;
        for (int j = 0; j < 6; j++) {
            v8 column[6];
            across(rows[j], column);
            for (int i = 0; i < 6; i++) store_part(out + (6 * i + j) * position_stride, &column[i], lanes);
        }
    }
}

/// An input's tiles: Bᵀ·d·B over each 6 × 6 patch.
INLINE void input_planes(
    const float *planes, const plane_layout *layout, ptrdiff_t planes_count, float *target, ptrdiff_t position_stride) {
    transform_planes(planes, layout, planes_count, target, position_stride, 6, apply_bt);
}

/// An output gradient's tiles: A·e·Aᵀ over each 4 × 4 patch.
INLINE void gradient_planes(
    const float *planes, const plane_layout *layout, ptrdiff_t planes_count, float *target, ptrdiff_t position_stride) {
    transform_planes(planes, layout, planes_count, target, position_stride, 4, apply_a);
}

INLINE void store_interleaved4(float *p, const v8 *values) {
    v8 low01 = __builtin_shufflevector(values[0], values[1], 0, 8, 1, 9, 2, 10, 3, 11);
    v8 high01 = __builtin_shufflevector(values[0], values[1], 4, 12, 5, 13, 6, 14, 7, 15);
    v8 low23 = __builtin_shufflevector(values[2], values[3], 0, 8, 1, 9, 2, 10, 3, 11);
    v8 high23 = __builtin_shufflevector(values[2], values[3], 4, 12, 5, 13, 6, 14, 7, 15);
    v8 out[4] = {
        __builtin_shufflevector(low01, low23, 0, 1, 8, 9, 2, 3, 10, 11),
        __builtin_shufflevector(low01, low23, 4, 5, 12, 13, 6, 7, 14, 15),
        __builtin_shufflevector(high01, high23, 0, 1, 8, 9, 2, 3, 10, 11),
        __builtin_shufflevector(high01, high23, 4, 5, 12, 13, 6, 7, 14, 15),
    };
    memcpy(p, out, sizeof out);
}

INLINE void output_plane(
    const float *source, ptrdiff_t position_stride, ptrdiff_t tiles, float shift, float *rows, ptrdiff_t row_length) {
    for (ptrdiff_t first = 0; first < tiles; first += 8) {
        ptrdiff_t lanes = tiles - first < 8 ? tiles - first : 8;
        // columns[j][i] = (m·A)[i][j]: Aᵀ across each row of the products.
        v8 columns[4][6];
        for (int i = 0; i < 6; i++) {
            v8 m[6], y[4];
            for (int j = 0; j < 6; j++) load_part(&m[j], source + (6 * i + j) * position_stride + first, lanes);
            apply_at(m, y);
            for (int j = 0; j < 4; j++) columns[j][i] = y[j];
        }
        // outputs[i][j]: row i, column j of the eight 4×4 output tiles.
        v8 outputs[4][4];
        for (int j = 0; j < 4; j++) {
            v8 y[4];
            apply_at(columns[j], y);
            for (int i = 0; i < 4; i++) outputs[i][j] = y[i] + shift;
        }
        for (int i = 0; i < 4; i++) store_interleaved4(rows + i * row_length + 4 * first, outputs[i]);
    }
}

/// `*tap` = tap `t` (0 ..< 9, row-major) of the kernels of `lanes` channels, lane `l`'s at
/// `kernels + l * channel_stride` (zero past `lanes`).
INLINE void load_tap(v8 *tap, const float *kernels, ptrdiff_t channel_stride, ptrdiff_t tap_stride, ptrdiff_t lanes, int t) {
    float values[8] = {0};
    for (ptrdiff_t l = 0; l < lanes; l++) values[l] = kernels[l * channel_stride + t * tap_stride];
    memcpy(tap, values, sizeof *tap);
}

INLINE void weight_filters(
    const float *w, ptrdiff_t first_filter, ptrdiff_t end_filter, ptrdiff_t inputs, ptrdiff_t filter_stride,
    ptrdiff_t channel_stride, ptrdiff_t tap_start, ptrdiff_t tap_stride, float *u, ptrdiff_t position_stride) {
    for (ptrdiff_t k = first_filter; k < end_filter; k++) {
        for (ptrdiff_t first = 0; first < inputs; first += 8) {
            ptrdiff_t lanes = inputs - first < 8 ? inputs - first : 8;
            const float *kernels = w + k * filter_stride + first * channel_stride + tap_start;
            // columns[s][i] = (G·g)[i][s]: G down each column of the kernel.
            v8 columns[3][6];
            for (int s = 0; s < 3; s++) {
                v8 column[3];
                for (int r = 0; r < 3; r++) load_tap(&column[r], kernels, channel_stride, tap_stride, lanes, 3 * r + s);
                apply_g(column, columns[s]);
            }
            float *out = u + k * inputs + first;
            for (int i = 0; i < 6; i++) {
                v8 row[6], taps[3] = {columns[0][i], columns[1][i], columns[2][i]};
                apply_g(taps, row);
                for (int j = 0; j < 6; j++) store_part(out + (6 * i + j) * position_stride, &row[j], lanes);
            }
        }
    }
}

INLINE void weight_gradient_filters(
    const float *du, ptrdiff_t first_filter, ptrdiff_t end_filter, ptrdiff_t inputs, ptrdiff_t position_stride, float *dw,
    int accumulate) {
    for (ptrdiff_t k = first_filter; k < end_filter; k++) {
        for (ptrdiff_t first = 0; first < inputs; first += 8) {
            ptrdiff_t lanes = inputs - first < 8 ? inputs - first : 8;
            const float *source = du + k * inputs + first;
            // rows[s][i] = (dU·G)[i][s]: Gᵀ across each row of dU.
            v8 rows[3][6];
            for (int i = 0; i < 6; i++) {
                v8 a[6], g[3];
                for (int j = 0; j < 6; j++) load_part(&a[j], source + (6 * i + j) * position_stride, lanes);
                apply_gt(a, g);
                for (int s = 0; s < 3; s++) rows[s][i] = g[s];
            }
            // taps[r][s]: Gᵀ down each column.
            float taps[9][8];
            for (int s = 0; s < 3; s++) {
                v8 g[3];
                apply_gt(rows[s], g);
                for (int r = 0; r < 3; r++) memcpy(taps[3 * r + s], &g[r], sizeof g[r]);
            }
            float *kernels = dw + (k * inputs + first) * 9;
            for (ptrdiff_t l = 0; l < lanes; l++) {
                for (int t = 0; t < 9; t++) kernels[9 * l + t] = (accumulate ? kernels[9 * l + t] : 0) + taps[t][l];
            }
        }
    }
}

#if defined(__x86_64__)
AVX2 static void input_planes_avx2(
    const float *planes, const plane_layout *layout, ptrdiff_t planes_count, float *target, ptrdiff_t position_stride) {
    input_planes(planes, layout, planes_count, target, position_stride);
}
AVX2 static void gradient_planes_avx2(
    const float *planes, const plane_layout *layout, ptrdiff_t planes_count, float *target, ptrdiff_t position_stride) {
    gradient_planes(planes, layout, planes_count, target, position_stride);
}
AVX2 static void output_plane_avx2(
    const float *source, ptrdiff_t position_stride, ptrdiff_t tiles, float shift, float *rows, ptrdiff_t row_length) {
    output_plane(source, position_stride, tiles, shift, rows, row_length);
}
AVX2 static void weight_filters_avx2(
    const float *w, ptrdiff_t first_filter, ptrdiff_t end_filter, ptrdiff_t inputs, ptrdiff_t filter_stride,
    ptrdiff_t channel_stride, ptrdiff_t tap_start, ptrdiff_t tap_stride, float *u, ptrdiff_t position_stride) {
    weight_filters(w, first_filter, end_filter, inputs, filter_stride, channel_stride, tap_start, tap_stride, u, position_stride);
}
AVX2 static void weight_gradient_filters_avx2(
    const float *du, ptrdiff_t first_filter, ptrdiff_t end_filter, ptrdiff_t inputs, ptrdiff_t position_stride, float *dw,
    int accumulate) {
    weight_gradient_filters(du, first_filter, end_filter, inputs, position_stride, dw, accumulate);
}
#endif

void swifttune_winograd4_input_planes(
    const float *planes, ptrdiff_t row_stride, ptrdiff_t plane_stride, ptrdiff_t planes_count, ptrdiff_t tile_rows,
    ptrdiff_t tile_columns, float *target, ptrdiff_t position_stride, int avx2) {
    plane_layout layout = {row_stride, plane_stride, tile_rows, tile_columns};
#if defined(__x86_64__)
    if (avx2) { input_planes_avx2(planes, &layout, planes_count, target, position_stride); return; }
#endif
    (void)avx2;
    input_planes(planes, &layout, planes_count, target, position_stride);
}

void swifttune_winograd4_gradient_planes(
    const float *planes, ptrdiff_t row_stride, ptrdiff_t plane_stride, ptrdiff_t planes_count, ptrdiff_t tile_rows,
    ptrdiff_t tile_columns, float *target, ptrdiff_t position_stride, int avx2) {
    plane_layout layout = {row_stride, plane_stride, tile_rows, tile_columns};
#if defined(__x86_64__)
    if (avx2) { gradient_planes_avx2(planes, &layout, planes_count, target, position_stride); return; }
#endif
    (void)avx2;
    gradient_planes(planes, &layout, planes_count, target, position_stride);
}

void swifttune_winograd4_output_plane(
    const float *source, ptrdiff_t position_stride, ptrdiff_t tiles, float shift, float *rows, ptrdiff_t row_length,
    int avx2) {
#if defined(__x86_64__)
    if (avx2) { output_plane_avx2(source, position_stride, tiles, shift, rows, row_length); return; }
#endif
    (void)avx2;
    output_plane(source, position_stride, tiles, shift, rows, row_length);
}

void swifttune_winograd4_weight(
    const float *w, ptrdiff_t first_filter, ptrdiff_t end_filter, ptrdiff_t inputs, ptrdiff_t filter_stride,
    ptrdiff_t channel_stride, ptrdiff_t tap_start, ptrdiff_t tap_stride, float *u, ptrdiff_t position_stride, int avx2) {
#if defined(__x86_64__)
    if (avx2) {
        weight_filters_avx2(
            w, first_filter, end_filter, inputs, filter_stride, channel_stride, tap_start, tap_stride, u, position_stride);
        return;
    }
#endif
    (void)avx2;
    weight_filters(w, first_filter, end_filter, inputs, filter_stride, channel_stride, tap_start, tap_stride, u, position_stride);
}

void swifttune_winograd4_weight_gradient(
    const float *du, ptrdiff_t first_filter, ptrdiff_t end_filter, ptrdiff_t inputs, ptrdiff_t position_stride, float *dw,
    int accumulate, int avx2) {
#if defined(__x86_64__)
    if (avx2) { weight_gradient_filters_avx2(du, first_filter, end_filter, inputs, position_stride, dw, accumulate); return; }
#endif
    (void)avx2;
    weight_gradient_filters(du, first_filter, end_filter, inputs, position_stride, dw, accumulate);
}

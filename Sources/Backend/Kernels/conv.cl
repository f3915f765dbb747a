// 2-d convolution over NCHW tensors as im2col + GEMM (see Core/ConvolutionPlan.swift). Images go
// in chunks of `images` starting at image `first`. A chunk's columns matrix is
// C·R·S × images·P·Q: row (c·R + r)·S + s, column b·P·Q + p·Q + q. The GEMM side of a chunk
// (forward output, gradient of the output) is filter-major: K × images·P·Q.
//
// The host passes the geometry as int8 g = (C, H, W, R, S, P, Q, K) and the taps as int8
// t = (stride_h, stride_w, padding_h, padding_w, dilation_h, dilation_w); kernels name them with
// `conv_geometry` first. Launches round their sizes up to the work-group size, so every kernel
// bound-checks every id. Kernels take their indices from multi-dimensional ids rather than
// dividing a flat index: CPU devices (PoCL) run integer divisions one lane at a time.

typedef struct {
    int channels, height, width;    // C, H, W: an input image
    int kernel_h, kernel_w;         // R, S
    int out_height, out_width;      // P, Q: an output plane
    int filters;                    // K
    int stride_h, stride_w;
    int pad_h, pad_w;
    int dilation_h, dilation_w;
} ConvGeometry;

ConvGeometry conv_geometry(int8 g, int8 t) {
    const ConvGeometry geometry = {
        g.s0, g.s1, g.s2, g.s3, g.s4, g.s5, g.s6, g.s7,
        t.s0, t.s1, t.s2, t.s3, t.s4, t.s5,
    };
    return geometry;
}

// The output positions (rows or columns) whose tap lands inside the input: o in [first, last)
// with 0 <= o·stride + offset < inputs (offset = tap·dilation − padding); empty as [0, 0).
typedef struct {
    int first, last;
} Span;

Span valid_outputs(int offset, int stride, int inputs, int outputs) {
    const int first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    const int last = inputs - 1 - offset < 0 ? 0 : min(outputs, (inputs - 1 - offset) / stride + 1);
    const Span span = { first < last ? first : 0, first < last ? last : 0 };
    return span;
}

// One work-item per image and row of the columns matrix, (b, (c·R + r)·S + s): it writes the
// P·Q values of image b under tap (r, s) of channel c, output row by output row, with the
// padding's zeros around the run that lies inside the input. Integer divisions (slow on CPU
// devices, where they do not vectorize) happen once per item, not once per value.
__kernel void im2col(__global const float* x, __global float* columns, int first, int images, int8 g, int8 t)
{
    const ConvGeometry geometry = conv_geometry(g, t);
    const int b = get_global_id(0);
    const int row = get_global_id(1);
    const int taps = geometry.kernel_h * geometry.kernel_w;
    if (b >= images || row >= geometry.channels * taps) return;
    const int c = row / taps;
    const int r = row % taps / geometry.kernel_w;
    const int s = row % geometry.kernel_w;
    const int out_width = geometry.out_width;
    const int plane = geometry.out_height * out_width;
    __global float* target = columns + ((size_t)row * images + b) * plane;
    __global const float* source =
        x + ((size_t)(first + b) * geometry.channels + c) * geometry.height * geometry.width;
    const int row_offset = r * geometry.dilation_h - geometry.pad_h;
    const int column_offset = s * geometry.dilation_w - geometry.pad_w;
    const Span rows = valid_outputs(row_offset, geometry.stride_h, geometry.height, geometry.out_height);
    const Span valid = valid_outputs(column_offset, geometry.stride_w, geometry.width, out_width);
    for (int p = 0; p < geometry.out_height; ++p) {
        __global float* out = target + p * out_width;
        if (p < rows.first || p >= rows.last) {
            for (int q = 0; q < out_width; ++q) out[q] = 0.0f;
            continue;
        }
        __global const float* in = source + (p * geometry.stride_h + row_offset) * geometry.width + column_offset;
        for (int q = 0; q < valid.first; ++q) out[q] = 0.0f;
        if (geometry.stride_w == 1) {
            for (int q = valid.first; q < valid.last; ++q) out[q] = in[q];
        } else {
            for (int q = valid.first; q < valid.last; ++q) out[q] = in[q * geometry.stride_w];
        }
        for (int q = valid.last; q < out_width; ++q) out[q] = 0.0f;
    }
}

// The input gradient, gathered: one work-item per input row (h, c, b) zeroes the row, then adds
// the gradient columns of every tap that read it, in kernel order (r, then s). No atomics.
__kernel void col2im(__global const float* columns, __global float* dx, int first, int images, int8 g, int8 t)
{
    const ConvGeometry geometry = conv_geometry(g, t);
    const int h = get_global_id(0);
    const int c = get_global_id(1);
    const int b = get_global_id(2);
    if (h >= geometry.height || c >= geometry.channels || b >= images) return;
    const int out_width = geometry.out_width;
    const int plane = geometry.out_height * out_width;
    const int row_length = images * plane;
    __global float* target =
        dx + (((size_t)(first + b) * geometry.channels + c) * geometry.height + h) * geometry.width;
    for (int w = 0; w < geometry.width; ++w) target[w] = 0.0f;
    for (int r = 0; r < geometry.kernel_h; ++r) {
        const int shifted_h = h + geometry.pad_h - r * geometry.dilation_h;
        if (shifted_h < 0 || shifted_h % geometry.stride_h != 0 || shifted_h / geometry.stride_h >= geometry.out_height) continue;
        const int p = shifted_h / geometry.stride_h;
        for (int s = 0; s < geometry.kernel_w; ++s) {
            const int column_offset = s * geometry.dilation_w - geometry.pad_w;
            const Span valid = valid_outputs(column_offset, geometry.stride_w, geometry.width, out_width);
            __global const float* source =
                columns + (size_t)((c * geometry.kernel_h + r) * geometry.kernel_w + s) * row_length + b * plane + p * out_width;
            __global float* into = target + column_offset;
            if (geometry.stride_w == 1) {
                for (int q = valid.first; q < valid.last; ++q) into[q] += source[q];
            } else {
                for (int q = valid.first; q < valid.last; ++q) into[q * geometry.stride_w] += source[q];
            }
        }
    }
}

// A fused activation: 0 none, 1 ReLU, 2 leaky ReLU (slope), 3 sigmoid, 4 tanh.
inline float activate(int activation, float x, float slope) {
    switch (activation) {
    case 1: return x > 0.0f ? x : 0.0f;
    case 2: return x > 0.0f ? x : x * slope;
    case 3: return x >= 0.0f ? 1.0f / (1.0f + exp(-x)) : exp(x) / (1.0f + exp(x));
    case 4: return tanh(x);
    default: return x;
    }
}

// output[first + b, k, i] = activation(product[k, b·plane + i] (+ bias[k])); one work-item per
// (i, k, b).
__kernel void conv_output(
    __global const float* product, __global const float* bias, int has_bias, __global float* y,
    int first, int images, int filters, int plane, int activation, float slope)
{
    const int i = get_global_id(0);
    const int k = get_global_id(1);
    const int b = get_global_id(2);
    if (i >= plane || k >= filters || b >= images) return;
    const float shift = has_bias ? bias[k] : 0.0f;
    y[((size_t)(first + b) * filters + k) * plane + i] =
        activate(activation, product[((size_t)k * images + b) * plane + i] + shift, slope);
}

// product[k, b·plane + i] = grad_out[first + b, k, i]; one work-item per (i, k, b).
__kernel void conv_grad_output(
    __global const float* grad_out, __global float* product, int first, int images, int filters, int plane)
{
    const int i = get_global_id(0);
    const int k = get_global_id(1);
    const int b = get_global_id(2);
    if (i >= plane || k >= filters || b >= images) return;
    product[((size_t)k * images + b) * plane + i] = grad_out[((size_t)(first + b) * filters + k) * plane + i];
}

// grad_bias[k] (+)= Σ_{n, i} grad_out[n, k, i]: one work-group (a power of two) per filter; the
// launch holds exactly `filters` whole groups, so every work-item reaches every barrier.
__kernel void conv_bias_grad(
    __global const float* grad_out, __global float* grad_bias, int accumulate, int batch, int filters, int plane,
    __local float* partial)
{
    const int k = get_group_id(0);
    const int lid = get_local_id(0);
    const int size = get_local_size(0);
    float sum = 0.0f;
    for (int n = 0; n < batch; ++n) {
        __global const float* values = grad_out + ((size_t)n * filters + k) * plane;
        for (int i = lid; i < plane; i += size) sum += values[i];
    }
    partial[lid] = sum;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int width = size / 2; width > 0; width >>= 1) {
        if (lid < width) partial[lid] += partial[lid + width];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) grad_bias[k] = (accumulate ? grad_bias[k] : 0.0f) + partial[0];
}

// conv_bias_grad for CPU devices (PoCL), which run a group's items one after another and pay for
// every barrier: one work-item per filter sums its planes, 16 values at a time.
__kernel void conv_bias_grad_rows(
    __global const float* grad_out, __global float* grad_bias, int accumulate, int batch, int filters, int plane)
{
    const int k = get_global_id(0);
    if (k >= filters) return;
    const int whole = plane / 16 * 16;
    float16 sums = (float16)(0.0f);
    float rest = 0.0f;
    for (int n = 0; n < batch; ++n) {
        __global const float* values = grad_out + ((size_t)n * filters + k) * plane;
        for (int i = 0; i < whole; i += 16) sums += vload16(0, values + i);
        for (int i = whole; i < plane; ++i) rest += values[i];
    }
    const float8 eight = sums.lo + sums.hi;
    const float4 four = eight.lo + eight.hi;
    const float2 two = four.lo + four.hi;
    const float total = two.x + two.y + rest;
    grad_bias[k] = (accumulate ? grad_bias[k] : 0.0f) + total;
}

// The weight gradient from the partial sums of a GEMM split along its depth (one slice of the
// batch's pixels each): grad_weight[i] = (its old value when accumulating) + partial[s][i] over
// the slices s, in order.
__kernel void conv_weight_grad_slices(
    __global const float* partial, __global float* grad_weight, int accumulate, int slices, int count)
{
    const int i = get_global_id(0);
    if (i >= count) return;
    float total = accumulate ? grad_weight[i] : 0.0f;
    for (int s = 0; s < slices; ++s) total += partial[(size_t)s * count + i];
    grad_weight[i] = total;
}

// ---------------------------------------------------------------------------------------------
// The packed path, for SwiftTune's own GEMM (gemm.cl): the convolution writes the GEMM's packed
// panels itself, straight from the NCHW tensors, and the forward product goes straight into the
// NCHW output with its bias and activation. That skips the columns matrix's second copy (packing),
// the gradient's gather into filter-major order and the output's scatter back.
//
// Panels are gemm.cl's: packed A, panel q: for each p in 0..<k, the PANEL_M values
// op(A)[q*PANEL_M + r, p]; packed B, panel t: for each p in 0..<k, the PANEL_N values
// op(B)[p, t*PANEL_N + c]; zeros past the matrix's edge. PANEL_M and PANEL_N are gemm.cl's
// TILE_M and TILE_N (OpenCLGemmKernel.swift holds them for the host).
//
// In a chunk of `images` images from `first`, pixel j in 0..<images·P·Q is output position
// (p, q) of image b, j = b·P·Q + p·Q + q: the columns of the forward GEMM and the reduction of the
// weight gradient's.
#define PANEL_M 6
#define PANEL_N 16

// Walks pixels of a chunk one after another without dividing for each.
typedef struct {
    int b, p, q;
} PixelCursor;

PixelCursor pixel_cursor(ConvGeometry geometry, int j) {
    const int plane = geometry.out_height * geometry.out_width;
    const int b = j / plane;
    const int position = j - b * plane;
    const PixelCursor cursor = { b, position / geometry.out_width, position % geometry.out_width };
    return cursor;
}

PixelCursor next_pixel(ConvGeometry geometry, PixelCursor cursor) {
    if (++cursor.q == geometry.out_width) {
        cursor.q = 0;
        if (++cursor.p == geometry.out_height) {
            cursor.p = 0;
            ++cursor.b;
        }
    }
    return cursor;
}

// Far enough outside any input that adding a tap's offset keeps it outside.
#define OUTSIDE (-(1 << 28))

// Sixteen loads, one per lane of `index`; the kernels below work on 16 values at once in int16
// and float16 vectors (one register each on AVX-512; PoCL does not vectorize their loops).
#define GATHER16(x, i) (float16)(x[i.s0], x[i.s1], x[i.s2], x[i.s3], x[i.s4], x[i.s5], x[i.s6], x[i.s7], \
    x[i.s8], x[i.s9], x[i.sa], x[i.sb], x[i.sc], x[i.sd], x[i.se], x[i.sf])

// The input values at rows h and columns w of the plane that starts at `plane` (0 outside it).
inline float16 gather_inside(__global const float* x, ConvGeometry geometry, int16 plane, int16 h, int16 w) {
    const int16 inside = h >= 0 & h < geometry.height & w >= 0 & w < geometry.width;
    const int16 index = select((int16)(0), plane + h * geometry.width + w, inside);
    return select((float16)(0.0f), GATHER16(x, index), inside);
}

// The forward GEMM's B (the columns matrix, C·R·S × pixels) as packed panels of PANEL_N = 16
// pixels. One work-item per panel writes its C·R·S rows, a float16 each.
__kernel void im2col_panels(__global const float* x, __global float* packed, int first, int images, int8 g, int8 t)
{
    const ConvGeometry geometry = conv_geometry(g, t);
    const int panel = get_global_id(0);
    const int pixels = images * geometry.out_height * geometry.out_width;
    if (panel * PANEL_N >= pixels) return;
    int image_lanes[PANEL_N], top_lanes[PANEL_N], left_lanes[PANEL_N];
    PixelCursor cursor = pixel_cursor(geometry, panel * PANEL_N);
    for (int e = 0; e < PANEL_N; ++e) {
        const int inside = cursor.b < images;
        image_lanes[e] = inside ? (first + cursor.b) * geometry.channels * geometry.height * geometry.width : 0;
        top_lanes[e] = inside ? cursor.p * geometry.stride_h - geometry.pad_h : OUTSIDE;
        left_lanes[e] = cursor.q * geometry.stride_w - geometry.pad_w;
        cursor = next_pixel(geometry, cursor);
    }
    int16 plane = vload16(0, image_lanes);
    const int16 top = vload16(0, top_lanes);
    const int16 left = vload16(0, left_lanes);
    __global float* target = packed + (size_t)panel * geometry.channels * geometry.kernel_h * geometry.kernel_w * PANEL_N;
    for (int c = 0; c < geometry.channels; ++c, plane += geometry.height * geometry.width) {
        for (int r = 0; r < geometry.kernel_h; ++r) {
            const int16 h = top + r * geometry.dilation_h;
            for (int s = 0; s < geometry.kernel_w; ++s, target += PANEL_N) {
                vstore16(gather_inside(x, geometry, plane, h, left + s * geometry.dilation_w), 0, target);
            }
        }
    }
}

// Pixels per work-item of the kernels that walk a run of pixels.
#define PIXEL_RUN 64

// The weight gradient's B (the columns matrix transposed, pixels × C·R·S) as packed panels of
// PANEL_N rows of the columns matrix. One work-item per (panel, run of PIXEL_RUN pixels) writes
// a float16 per pixel.
__kernel void im2col_panels_transposed(
    __global const float* x, __global float* packed, int first, int images, int8 g, int8 t)
{
    const ConvGeometry geometry = conv_geometry(g, t);
    const int panel = get_global_id(0);
    const int run = get_global_id(1);
    const int taps = geometry.kernel_h * geometry.kernel_w;
    const int depth = geometry.channels * taps;
    const int pixels = images * geometry.out_height * geometry.out_width;
    if (panel * PANEL_N >= depth || run * PIXEL_RUN >= pixels) return;
    int channel_lanes[PANEL_N], h_lanes[PANEL_N], w_lanes[PANEL_N];
    for (int e = 0; e < PANEL_N; ++e) {
        const int row = panel * PANEL_N + e;
        channel_lanes[e] = row / taps * geometry.height * geometry.width;
        h_lanes[e] = row < depth ? row % taps / geometry.kernel_w * geometry.dilation_h : OUTSIDE;
        w_lanes[e] = row % geometry.kernel_w * geometry.dilation_w;
    }
    const int16 channel = vload16(0, channel_lanes);
    const int16 tap_h = vload16(0, h_lanes);
    const int16 tap_w = vload16(0, w_lanes);
    const int image_size = geometry.channels * geometry.height * geometry.width;
    const int end = min(pixels, (run + 1) * PIXEL_RUN);
    PixelCursor cursor = pixel_cursor(geometry, run * PIXEL_RUN);
    for (int j = run * PIXEL_RUN; j < end; ++j) {
        const int16 h = tap_h + (cursor.p * geometry.stride_h - geometry.pad_h);
        const int16 w = tap_w + (cursor.q * geometry.stride_w - geometry.pad_w);
        const float16 values = gather_inside(x, geometry, channel + (first + cursor.b) * image_size, h, w);
        vstore16(values, 0, packed + ((size_t)panel * pixels + j) * PANEL_N);
        cursor = next_pixel(geometry, cursor);
    }
}

// The weight gradient's A (the output gradient as K × pixels) as packed panels of PANEL_M
// filters, read from the NCHW gradient. One work-item per (panel, run of PIXEL_RUN pixels).
__kernel void grad_output_panels(
    __global const float* grad_out, __global float* packed, int first, int images, int8 g, int8 t)
{
    const ConvGeometry geometry = conv_geometry(g, t);
    const int panel = get_global_id(0);
    const int run = get_global_id(1);
    const int plane = geometry.out_height * geometry.out_width;
    const int pixels = images * plane;
    if (panel * PANEL_M >= geometry.filters || run * PIXEL_RUN >= pixels) return;
    const int rows = min(PANEL_M, geometry.filters - panel * PANEL_M);
    const int end = min(pixels, (run + 1) * PIXEL_RUN);
    int b = run * PIXEL_RUN / plane;
    int position = run * PIXEL_RUN - b * plane;
    __global float* target = packed + ((size_t)panel * pixels + run * PIXEL_RUN) * PANEL_M;
    for (int j = run * PIXEL_RUN; j < end; ++j, target += PANEL_M) {
        __global const float* source = grad_out + ((size_t)(first + b) * geometry.filters + panel * PANEL_M) * plane + position;
        if (rows == PANEL_M) {
            #pragma unroll
            for (int e = 0; e < PANEL_M; ++e) target[e] = source[e * plane];
        } else {
            for (int e = 0; e < PANEL_M; ++e) target[e] = e < rows ? source[e * plane] : 0.0f;
        }
        if (++position == plane) {
            position = 0;
            ++b;
        }
    }
}

// The input gradient's B (the output gradient as K × pixels) as packed panels of PANEL_N
// pixels, read from the NCHW gradient. One work-item per panel writes all K rows.
__kernel void grad_output_columns_panels(
    __global const float* grad_out, __global float* packed, int first, int images, int8 g, int8 t)
{
    const ConvGeometry geometry = conv_geometry(g, t);
    const int panel = get_global_id(0);
    const int plane = geometry.out_height * geometry.out_width;
    const int pixels = images * plane;
    if (panel * PANEL_N >= pixels) return;
    int offset_lanes[PANEL_N];
    int b = panel * PANEL_N / plane;
    int position = panel * PANEL_N - b * plane;
    for (int e = 0; e < PANEL_N; ++e) {
        offset_lanes[e] = b < images ? (first + b) * geometry.filters * plane + position : -1;
        if (++position == plane) {
            position = 0;
            ++b;
        }
    }
    const int16 offsets = vload16(0, offset_lanes);
    const int16 valid = offsets >= 0;
    __global float* target = packed + (size_t)panel * geometry.filters * PANEL_N;
    for (int k = 0; k < geometry.filters; ++k, target += PANEL_N) {
        const int16 index = select((int16)(0), offsets + k * plane, valid);
        vstore16(select((float16)(0.0f), GATHER16(grad_out, index), valid), 0, target);
    }
}

// activate() on 16 values.
inline float16 activate16(int activation, float16 x, float slope) {
    switch (activation) {
    case 1: return select((float16)(0.0f), x, x > 0.0f);
    case 2: return select(x * slope, x, x > 0.0f);
    case 3: return select(exp(x) / (1.0f + exp(x)), 1.0f / (1.0f + exp(-x)), x >= 0.0f);
    case 4: return tanh(x);
    default: return x;
    }
}

// The forward GEMM on packed panels (gemm.cl's gemm_tiles_pp with another store): one PANEL_M ×
// PANEL_N block of filters × pixels per work-item, written to the NCHW output with the bias and
// the activation. Global size: (filter panels, pixel panels).
__kernel void conv_tiles(
    __global const float* packed_weight, __global const float* packed_columns, __global float* y,
    __global const float* bias, int has_bias, int activation, float slope, int first, int images, int8 g, int8 t)
{
    const ConvGeometry geometry = conv_geometry(g, t);
    const int q = get_global_id(0);
    const int panel = get_global_id(1);
    const int plane = geometry.out_height * geometry.out_width;
    const int pixels = images * plane;
    const int depth = geometry.channels * geometry.kernel_h * geometry.kernel_w;
    if (q * PANEL_M >= geometry.filters || panel * PANEL_N >= pixels) return;
    __global const float* a = packed_weight + (size_t)q * depth * PANEL_M;
    __global const float* b_panel = packed_columns + (size_t)panel * depth * PANEL_N;

    float8 sums[PANEL_M][2];
    #pragma unroll
    for (int r = 0; r < PANEL_M; r++) {
        sums[r][0] = (float8)(0.0f);
        sums[r][1] = (float8)(0.0f);
    }
    for (int p = 0; p < depth; p++) {
        const float8 low = vload8(0, b_panel + (size_t)p * PANEL_N);
        const float8 high = vload8(1, b_panel + (size_t)p * PANEL_N);
        #pragma unroll
        for (int r = 0; r < PANEL_M; r++) {
            const float8 weight = (float8)(a[(size_t)p * PANEL_M + r]);
            sums[r][0] = fma(weight, low, sums[r][0]);
            sums[r][1] = fma(weight, high, sums[r][1]);
        }
    }

    // Where each pixel's value of filter 0 goes; the whole panel in one image is one run.
    const int j0 = panel * PANEL_N;
    const int b0 = j0 / plane;
    const int position0 = j0 - b0 * plane;
    const int contiguous = position0 + PANEL_N <= plane && j0 + PANEL_N <= pixels;
    int offset_lanes[PANEL_N];
    int b = b0;
    int position = position0;
    for (int e = 0; e < PANEL_N; ++e) {
        offset_lanes[e] = b < images ? (first + b) * geometry.filters * plane + position : -1;
        if (++position == plane) {
            position = 0;
            ++b;
        }
    }
    #pragma unroll
    for (int r = 0; r < PANEL_M; r++) {
        const int k = q * PANEL_M + r;
        if (k < geometry.filters) {
            const float shift = has_bias ? bias[k] : 0.0f;
            const float16 values = activate16(activation, (float16)(sums[r][0], sums[r][1]) + shift, slope);
            if (contiguous) {
                vstore16(values, 0, y + offset_lanes[0] + k * plane);
            } else {
                float lanes[PANEL_N];
                vstore16(values, 0, lanes);
                for (int e = 0; e < PANEL_N; ++e) {
                    if (offset_lanes[e] >= 0) y[offset_lanes[e] + k * plane] = lanes[e];
                }
            }
        }
    }
}

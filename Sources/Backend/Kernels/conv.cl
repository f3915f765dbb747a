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

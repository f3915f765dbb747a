// 2-d convolution over NCHW tensors as im2col + GEMM (see Core/ConvolutionPlan.swift). Images go
// in chunks of `images` starting at image `first`. A chunk's columns matrix is
// C·R·S × images·P·Q: row (c·R + r)·S + s, column b·P·Q + p·Q + q. The GEMM side of a chunk
// (forward output, gradient of the output) is filter-major: K × images·P·Q.
//
// g holds the geometry (C, H, W, R, S, P, Q, K); t the taps (stride_h, stride_w, padding_h,
// padding_w, dilation_h, dilation_w). Two-dimensional launches round their sizes up to the
// work-group size, so every kernel bound-checks both ids.

// One work-item per element of the columns matrix: (column, row).
__kernel void im2col(__global const float* x, __global float* columns, int first, int images, int8 g, int8 t)
{
    const int column = get_global_id(0);
    const int row = get_global_id(1);
    const int plane = g.s5 * g.s6;
    const int row_length = images * plane;
    if (column >= row_length || row >= g.s0 * g.s3 * g.s4) return;
    const int q = column % g.s6;
    const int p = column / g.s6 % g.s5;
    const int b = column / plane;
    const int s = row % g.s4;
    const int r = row / g.s4 % g.s3;
    const int c = row / (g.s3 * g.s4);
    const int h = p * t.s0 - t.s2 + r * t.s4;
    const int w = q * t.s1 - t.s3 + s * t.s5;
    const int inside = h >= 0 && h < g.s1 && w >= 0 && w < g.s2;
    columns[row * row_length + column] = inside ? x[((first + b) * g.s0 + c) * g.s1 * g.s2 + h * g.s2 + w] : 0.0f;
}

// The input gradient, gathered: one work-item per input element of the chunk, (h·W + w, b·C + c),
// sums the gradient columns of every tap that read it, in kernel order (r, then s). No atomics.
__kernel void col2im(__global const float* columns, __global float* dx, int first, int images, int8 g, int8 t)
{
    const int position = get_global_id(0);
    const int plane_index = get_global_id(1);
    if (position >= g.s1 * g.s2 || plane_index >= images * g.s0) return;
    const int h = position / g.s2;
    const int w = position % g.s2;
    const int c = plane_index % g.s0;
    const int b = plane_index / g.s0;
    const int row_length = images * g.s5 * g.s6;
    __global const float* source = columns + b * g.s5 * g.s6;
    float sum = 0.0f;
    for (int r = 0; r < g.s3; ++r) {
        const int shifted_h = h + t.s2 - r * t.s4;
        if (shifted_h < 0 || shifted_h % t.s0 != 0 || shifted_h / t.s0 >= g.s5) continue;
        const int p = shifted_h / t.s0;
        for (int s = 0; s < g.s4; ++s) {
            const int shifted_w = w + t.s3 - s * t.s5;
            if (shifted_w < 0 || shifted_w % t.s1 != 0 || shifted_w / t.s1 >= g.s6) continue;
            const int q = shifted_w / t.s1;
            sum += source[((c * g.s3 + r) * g.s4 + s) * row_length + p * g.s6 + q];
        }
    }
    dx[((first + b) * g.s0 + c) * g.s1 * g.s2 + position] = sum;
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
// (i, b·K + k).
__kernel void conv_output(
    __global const float* product, __global const float* bias, int has_bias, __global float* y,
    int first, int images, int filters, int plane, int activation, float slope)
{
    const int i = get_global_id(0);
    const int pair = get_global_id(1);
    if (i >= plane || pair >= images * filters) return;
    const int k = pair % filters;
    const int b = pair / filters;
    const float shift = has_bias ? bias[k] : 0.0f;
    y[(first * filters + pair) * plane + i] = activate(activation, product[(k * images + b) * plane + i] + shift, slope);
}

// product[k, b·plane + i] = grad_out[first + b, k, i]; one work-item per (i, b·K + k).
__kernel void conv_grad_output(
    __global const float* grad_out, __global float* product, int first, int images, int filters, int plane)
{
    const int i = get_global_id(0);
    const int pair = get_global_id(1);
    if (i >= plane || pair >= images * filters) return;
    const int k = pair % filters;
    const int b = pair / filters;
    product[(k * images + b) * plane + i] = grad_out[(first * filters + pair) * plane + i];
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
    for (int e = lid; e < batch * plane; e += size) {
        const int n = e / plane;
        sum += grad_out[(n * filters + k) * plane + e - n * plane];
    }
    partial[lid] = sum;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int width = size / 2; width > 0; width >>= 1) {
        if (lid < width) partial[lid] += partial[lid + width];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) grad_bias[k] = (accumulate ? grad_bias[k] : 0.0f) + partial[0];
}

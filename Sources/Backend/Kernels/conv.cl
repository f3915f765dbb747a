// 2-d convolution over NCHW tensors as im2col + GEMM (see Core/ConvolutionPlan.swift). Images go
// in chunks of `images` starting at image `first`. A chunk's columns matrix is
// C·R·S × images·P·Q: row (c·R + r)·S + s, column b·P·Q + p·Q + q. The GEMM side of a chunk
// (forward output, gradient of the output) is filter-major: K × images·P·Q.
//
// The host passes the geometry as int8 g = (C, H, W, R, S, P, Q, K) and the taps as int8
// t = (stride_h, stride_w, padding_h, padding_w, dilation_h, dilation_w); kernels name them with
// `conv_geometry` first. Two-dimensional launches round their sizes up to the work-group size, so
// every kernel bound-checks both ids.

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

// One work-item per element of the columns matrix: (column, row).
__kernel void im2col(__global const float* x, __global float* columns, int first, int images, int8 g, int8 t)
{
    const ConvGeometry geometry = conv_geometry(g, t);
    const int column = get_global_id(0);
    const int row = get_global_id(1);
    const int plane = geometry.out_height * geometry.out_width;
    const int row_length = images * plane;
    if (column >= row_length || row >= geometry.channels * geometry.kernel_h * geometry.kernel_w) return;
    const int q = column % geometry.out_width;
    const int p = column / geometry.out_width % geometry.out_height;
    const int b = column / plane;
    const int s = row % geometry.kernel_w;
    const int r = row / geometry.kernel_w % geometry.kernel_h;
    const int c = row / (geometry.kernel_h * geometry.kernel_w);
    const int h = p * geometry.stride_h - geometry.pad_h + r * geometry.dilation_h;
    const int w = q * geometry.stride_w - geometry.pad_w + s * geometry.dilation_w;
    const int inside = h >= 0 && h < geometry.height && w >= 0 && w < geometry.width;
    const int image_plane = geometry.height * geometry.width;
    columns[row * row_length + column] =
        inside ? x[((first + b) * geometry.channels + c) * image_plane + h * geometry.width + w] : 0.0f;
}

// The input gradient, gathered: one work-item per input element of the chunk, (h·W + w, b·C + c),
// sums the gradient columns of every tap that read it, in kernel order (r, then s). No atomics.
__kernel void col2im(__global const float* columns, __global float* dx, int first, int images, int8 g, int8 t)
{
    const ConvGeometry geometry = conv_geometry(g, t);
    const int position = get_global_id(0);
    const int plane_index = get_global_id(1);
    const int image_plane = geometry.height * geometry.width;
    if (position >= image_plane || plane_index >= images * geometry.channels) return;
    const int h = position / geometry.width;
    const int w = position % geometry.width;
    const int c = plane_index % geometry.channels;
    const int b = plane_index / geometry.channels;
    const int plane = geometry.out_height * geometry.out_width;
    const int row_length = images * plane;
    __global const float* source = columns + b * plane;
    float sum = 0.0f;
    for (int r = 0; r < geometry.kernel_h; ++r) {
        const int shifted_h = h + geometry.pad_h - r * geometry.dilation_h;
        if (shifted_h < 0 || shifted_h % geometry.stride_h != 0 || shifted_h / geometry.stride_h >= geometry.out_height) continue;
        const int p = shifted_h / geometry.stride_h;
        for (int s = 0; s < geometry.kernel_w; ++s) {
            const int shifted_w = w + geometry.pad_w - s * geometry.dilation_w;
            if (shifted_w < 0 || shifted_w % geometry.stride_w != 0 || shifted_w / geometry.stride_w >= geometry.out_width) continue;
            const int q = shifted_w / geometry.stride_w;
            sum += source[((c * geometry.kernel_h + r) * geometry.kernel_w + s) * row_length + p * geometry.out_width + q];
        }
    }
    dx[((first + b) * geometry.channels + c) * image_plane + position] = sum;
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

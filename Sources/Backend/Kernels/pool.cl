// 2-d max and average pooling over NCHW tensors (see Core/Pool.swift). Forward kernels run one
// work-item per output element; backward kernels one per input element, gathering from the
// windows that cover it, so no atomics are needed and results do not depend on scheduling.
//
// g holds the geometry: (H, W, OH, OW, kernel_h, kernel_w, stride_h, stride_w).

// The first output row (or column) whose window covers input position p, and the last.
int first_covering(int p, int padding, int window, int stride) {
    const int shifted = p + padding;
    return shifted >= window ? (shifted - window) / stride + 1 : 0;
}

int last_covering(int p, int padding, int stride, int outputs) {
    return min(outputs - 1, (p + padding) / stride);
}

float window_divisor(int8 g, int ph, int pw, int include_padding, int oh, int ow) {
    if (include_padding) return (float)(g.s4 * g.s5);
    const int top = oh * g.s6 - ph;
    const int left = ow * g.s7 - pw;
    const int rows = min(top + g.s4, g.s0) - max(top, 0);
    const int columns = min(left + g.s5, g.s1) - max(left, 0);
    return (float)(rows * columns);
}

__kernel void max_pool_forward(
    __global const float* x, __global float* y, __global float* indices, int has_indices, int planes,
    int8 g, int ph, int pw)
{
    const int o = get_global_id(0);
    if (o >= planes * g.s2 * g.s3) return;
    const int ow = o % g.s3;
    const int oh = (o / g.s3) % g.s2;
    const int plane = o / (g.s3 * g.s2);
    __global const float* source = x + (size_t)plane * g.s0 * g.s1;
    const int top = oh * g.s6 - ph;
    const int left = ow * g.s7 - pw;
    float best = -INFINITY;
    int best_index = -1;
    for (int h = max(top, 0); h < min(top + g.s4, g.s0); ++h) {
        for (int w = max(left, 0); w < min(left + g.s5, g.s1); ++w) {
            const int position = h * g.s1 + w;
            const float value = source[position];
            if (best_index < 0 || value > best) {
                best = value;
                best_index = position;
            }
        }
    }
    y[o] = best;
    if (has_indices) indices[o] = (float)best_index;
}

__kernel void max_pool_backward(
    __global const float* grad_out, __global const float* indices, __global float* grad_in, int planes,
    int8 g, int ph, int pw)
{
    const int i = get_global_id(0);
    if (i >= planes * g.s0 * g.s1) return;
    const int w = i % g.s1;
    const int h = (i / g.s1) % g.s0;
    const int plane = i / (g.s1 * g.s0);
    const float position = (float)(h * g.s1 + w);
    const size_t base = (size_t)plane * g.s2 * g.s3;
    float sum = 0.0f;
    for (int oh = first_covering(h, ph, g.s4, g.s6); oh <= last_covering(h, ph, g.s6, g.s2); ++oh) {
        for (int ow = first_covering(w, pw, g.s5, g.s7); ow <= last_covering(w, pw, g.s7, g.s3); ++ow) {
            const size_t o = base + oh * g.s3 + ow;
            if (indices[o] == position) sum += grad_out[o];
        }
    }
    grad_in[i] = sum;
}

__kernel void avg_pool_forward(
    __global const float* x, __global float* y, int planes, int8 g, int ph, int pw, int include_padding)
{
    const int o = get_global_id(0);
    if (o >= planes * g.s2 * g.s3) return;
    const int ow = o % g.s3;
    const int oh = (o / g.s3) % g.s2;
    const int plane = o / (g.s3 * g.s2);
    __global const float* source = x + (size_t)plane * g.s0 * g.s1;
    const int top = oh * g.s6 - ph;
    const int left = ow * g.s7 - pw;
    float sum = 0.0f;
    for (int h = max(top, 0); h < min(top + g.s4, g.s0); ++h) {
        for (int w = max(left, 0); w < min(left + g.s5, g.s1); ++w) sum += source[h * g.s1 + w];
    }
    y[o] = sum / window_divisor(g, ph, pw, include_padding, oh, ow);
}

__kernel void avg_pool_backward(
    __global const float* grad_out, __global float* grad_in, int planes, int8 g, int ph, int pw, int include_padding)
{
    const int i = get_global_id(0);
    if (i >= planes * g.s0 * g.s1) return;
    const int w = i % g.s1;
    const int h = (i / g.s1) % g.s0;
    const int plane = i / (g.s1 * g.s0);
    const size_t base = (size_t)plane * g.s2 * g.s3;
    float sum = 0.0f;
    for (int oh = first_covering(h, ph, g.s4, g.s6); oh <= last_covering(h, ph, g.s6, g.s2); ++oh) {
        for (int ow = first_covering(w, pw, g.s5, g.s7); ow <= last_covering(w, pw, g.s7, g.s3); ++ow) {
            sum += grad_out[base + oh * g.s3 + ow] / window_divisor(g, ph, pw, include_padding, oh, ow);
        }
    }
    grad_in[i] = sum;
}

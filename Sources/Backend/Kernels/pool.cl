// 2-d max and average pooling over NCHW tensors (see Core/Pool.swift). Forward kernels run one
// work-item per output element and walk its window; backward kernels one per input element and
// walk the outputs whose windows cover it, so no atomics are needed and results do not depend on
// scheduling.
//
// The host passes the geometry as int8 g = (H, W, OH, OW, kernel_h, kernel_w, stride_h, stride_w)
// and the paddings ph, pw; every kernel names them with `pool_geometry` first.

typedef struct {
    int height, width;          // an input plane
    int out_height, out_width;  // an output plane
    int kernel_h, kernel_w;
    int stride_h, stride_w;
    int pad_h, pad_w;
} PoolGeometry;

PoolGeometry pool_geometry(int8 g, int ph, int pw) {
    const PoolGeometry geometry = { g.s0, g.s1, g.s2, g.s3, g.s4, g.s5, g.s6, g.s7, ph, pw };
    return geometry;
}

// Rows [top, bottom) and columns [left, right) of a plane.
typedef struct {
    int top, bottom, left, right;
} Rect;

// The input positions under the window of output (oh, ow), clipped to the plane.
Rect input_window(PoolGeometry geometry, int oh, int ow) {
    const int top = oh * geometry.stride_h - geometry.pad_h;
    const int left = ow * geometry.stride_w - geometry.pad_w;
    const Rect window = {
        max(top, 0), min(top + geometry.kernel_h, geometry.height),
        max(left, 0), min(left + geometry.kernel_w, geometry.width),
    };
    return window;
}

// The first output row (or column) whose window covers input position p.
int first_covering(int p, int padding, int window, int stride) {
    const int shifted = p + padding;
    return shifted >= window ? (shifted - window) / stride + 1 : 0;
}

// The outputs whose windows cover input position (h, w).
Rect covering_outputs(PoolGeometry geometry, int h, int w) {
    const Rect outputs = {
        first_covering(h, geometry.pad_h, geometry.kernel_h, geometry.stride_h),
        min(geometry.out_height, (h + geometry.pad_h) / geometry.stride_h + 1),
        first_covering(w, geometry.pad_w, geometry.kernel_w, geometry.stride_w),
        min(geometry.out_width, (w + geometry.pad_w) / geometry.stride_w + 1),
    };
    return outputs;
}

// Element `index` of a stack of height × width planes: which plane, and where in it.
typedef struct {
    int plane, row, column;
} PlaneElement;

PlaneElement plane_element(int index, int height, int width) {
    const PlaneElement element = { index / (height * width), index / width % height, index % width };
    return element;
}

// The walk every kernel shares: each (row, column) of `rect`, row by row.
#define FOR_EACH_POSITION(rect, row, column) \
    for (int row = (rect).top; row < (rect).bottom; ++row) \
        for (int column = (rect).left; column < (rect).right; ++column)

// What average pooling divides output (oh, ow) by: the whole window, or its part inside the input.
float window_divisor(PoolGeometry geometry, int include_padding, int oh, int ow) {
    if (include_padding) return (float)(geometry.kernel_h * geometry.kernel_w);
    const Rect window = input_window(geometry, oh, ow);
    return (float)((window.bottom - window.top) * (window.right - window.left));
}

__kernel void max_pool_forward(
    __global const float* x, __global float* y, __global float* indices, int has_indices, int planes,
    int8 g, int ph, int pw)
{
    const PoolGeometry geometry = pool_geometry(g, ph, pw);
    const int o = get_global_id(0);
    if (o >= planes * geometry.out_height * geometry.out_width) return;
    const PlaneElement output = plane_element(o, geometry.out_height, geometry.out_width);
    __global const float* source = x + (size_t)output.plane * geometry.height * geometry.width;
    const Rect window = input_window(geometry, output.row, output.column);
    float best = -INFINITY;
    int best_index = -1;
    FOR_EACH_POSITION(window, h, w) {
        const int position = h * geometry.width + w;
        const float value = source[position];
        if (best_index < 0 || value > best) {
            best = value;
            best_index = position;
        }
    }
    y[o] = best;
    if (has_indices) indices[o] = (float)best_index;
}

__kernel void max_pool_backward(
    __global const float* grad_out, __global const float* indices, __global float* grad_in, int planes,
    int8 g, int ph, int pw)
{
    const PoolGeometry geometry = pool_geometry(g, ph, pw);
    const int i = get_global_id(0);
    if (i >= planes * geometry.height * geometry.width) return;
    const PlaneElement input = plane_element(i, geometry.height, geometry.width);
    const float position = (float)(input.row * geometry.width + input.column);
    const size_t base = (size_t)input.plane * geometry.out_height * geometry.out_width;
    const Rect outputs = covering_outputs(geometry, input.row, input.column);
    float sum = 0.0f;
    FOR_EACH_POSITION(outputs, oh, ow) {
        const size_t o = base + oh * geometry.out_width + ow;
        if (indices[o] == position) sum += grad_out[o];
    }
    grad_in[i] = sum;
}

__kernel void avg_pool_forward(
    __global const float* x, __global float* y, int planes, int8 g, int ph, int pw, int include_padding)
{
    const PoolGeometry geometry = pool_geometry(g, ph, pw);
    const int o = get_global_id(0);
    if (o >= planes * geometry.out_height * geometry.out_width) return;
    const PlaneElement output = plane_element(o, geometry.out_height, geometry.out_width);
    __global const float* source = x + (size_t)output.plane * geometry.height * geometry.width;
    const Rect window = input_window(geometry, output.row, output.column);
    float sum = 0.0f;
    FOR_EACH_POSITION(window, h, w) sum += source[h * geometry.width + w];
    y[o] = sum / window_divisor(geometry, include_padding, output.row, output.column);
}

__kernel void avg_pool_backward(
    __global const float* grad_out, __global float* grad_in, int planes, int8 g, int ph, int pw, int include_padding)
{
    const PoolGeometry geometry = pool_geometry(g, ph, pw);
    const int i = get_global_id(0);
    if (i >= planes * geometry.height * geometry.width) return;
    const PlaneElement input = plane_element(i, geometry.height, geometry.width);
    const size_t base = (size_t)input.plane * geometry.out_height * geometry.out_width;
    const Rect outputs = covering_outputs(geometry, input.row, input.column);
    float sum = 0.0f;
    FOR_EACH_POSITION(outputs, oh, ow) {
        sum += grad_out[base + oh * geometry.out_width + ow] / window_divisor(geometry, include_padding, oh, ow);
    }
    grad_in[i] = sum;
}

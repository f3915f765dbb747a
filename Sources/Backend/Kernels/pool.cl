// 2-d max and average pooling over NCHW tensors (see Core/Pool.swift). Forward kernels run one
// work-item per output element and walk its window; backward kernels one per input element and
// walk the outputs whose windows cover it, or, for max pooling with windows that do not overlap,
// one per output element writing the input elements it owns. No atomics are needed and results
// do not depend on scheduling.
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

// Forward kernels run over (ow, oh, plane), backward kernels over (w, h, plane): indices come
// from the three ids, not from dividing a flat index (CPU devices run integer divisions one lane
// at a time). Launches round the sizes up to the work-group, so every kernel bound-checks:
// PLANE_ITEM declares the three ids and returns from items past the sizes.
#define PLANE_ITEM(column, row, plane, columns, rows, planes) \
    const int column = get_global_id(0); \
    const int row = get_global_id(1); \
    const int plane = get_global_id(2); \
    if (column >= (columns) || row >= (rows) || plane >= (planes)) return

__kernel void max_pool_forward(
    __global const float* x, __global float* y, __global float* indices, int has_indices, int planes,
    int8 g, int ph, int pw)
{
    const PoolGeometry geometry = pool_geometry(g, ph, pw);
    PLANE_ITEM(ow, oh, plane, geometry.out_width, geometry.out_height, planes);
    __global const float* source = x + (size_t)plane * geometry.height * geometry.width;
    const Rect window = input_window(geometry, oh, ow);
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
    const size_t o = ((size_t)plane * geometry.out_height + oh) * geometry.out_width + ow;
    y[o] = best;
    if (has_indices) indices[o] = (float)best_index;
}

// Overlapping windows: each input element sums the gradients of the outputs whose maximum it was.
__kernel void max_pool_backward(
    __global const float* grad_out, __global const float* indices, __global float* grad_in, int planes,
    int8 g, int ph, int pw)
{
    const PoolGeometry geometry = pool_geometry(g, ph, pw);
    PLANE_ITEM(w, h, plane, geometry.width, geometry.height, planes);
    const float position = (float)(h * geometry.width + w);
    const size_t base = (size_t)plane * geometry.out_height * geometry.out_width;
    const Rect outputs = covering_outputs(geometry, h, w);
    float sum = 0.0f;
    FOR_EACH_POSITION(outputs, oh, ow) {
        const size_t o = base + oh * geometry.out_width + ow;
        if (indices[o] == position) sum += grad_out[o];
    }
    grad_in[((size_t)plane * geometry.height + h) * geometry.width + w] = sum;
}

// The input rows (or columns) output row (or column) o owns when windows do not overlap
// (stride >= kernel): from its window's start to the next window's start, the first output
// from 0 and the last to the end, clipped to the plane. The owned ranges split the plane.
int2 owned_range(int o, int outputs, int stride, int padding, int inputs) {
    const int start = o == 0 ? 0 : o * stride - padding;
    const int end = o == outputs - 1 ? inputs : (o + 1) * stride - padding;
    return (int2)(clamp(start, 0, inputs), clamp(end, 0, inputs));
}

// Windows that do not overlap (stride >= kernel, as in the usual 2×2 stride 2): one work-item
// per output writes every input element it owns, its gradient at the window's maximum and 0
// elsewhere. Same values as max_pool_backward, without a search per input element.
__kernel void max_pool_backward_disjoint(
    __global const float* grad_out, __global const float* indices, __global float* grad_in, int planes,
    int8 g, int ph, int pw)
{
    const PoolGeometry geometry = pool_geometry(g, ph, pw);
    PLANE_ITEM(ow, oh, plane, geometry.out_width, geometry.out_height, planes);
    const size_t o = ((size_t)plane * geometry.out_height + oh) * geometry.out_width + ow;
    const int best = (int)indices[o];
    const float gradient = grad_out[o];
    const int2 rows = owned_range(oh, geometry.out_height, geometry.stride_h, geometry.pad_h, geometry.height);
    const int2 columns = owned_range(ow, geometry.out_width, geometry.stride_w, geometry.pad_w, geometry.width);
    __global float* target = grad_in + (size_t)plane * geometry.height * geometry.width;
    for (int h = rows.x; h < rows.y; ++h) {
        for (int w = columns.x; w < columns.y; ++w) {
            const int position = h * geometry.width + w;
            target[position] = position == best ? gradient : 0.0f;
        }
    }
}

// The usual window, 2×2 with stride 2 and no padding, without loops: the same values and
// indices as max_pool_forward (the first maximum in row order; a NaN first value stays).
__kernel void max_pool_2x2_forward(
    __global const float* x, __global float* y, __global float* indices, int has_indices, int planes,
    int8 g, int ph, int pw)
{
    const PoolGeometry geometry = pool_geometry(g, ph, pw);
    PLANE_ITEM(ow, oh, plane, geometry.out_width, geometry.out_height, planes);
    const int width = geometry.width;
    const int corner = 2 * oh * width + 2 * ow;
    __global const float* source = x + (size_t)plane * geometry.height * width + corner;
    const float2 top = vload2(0, source);
    const float2 bottom = vload2(0, source + width);
    float best = top.x;
    int offset = 0;
    if (top.y > best) { best = top.y; offset = 1; }
    if (bottom.x > best) { best = bottom.x; offset = width; }
    if (bottom.y > best) { best = bottom.y; offset = width + 1; }
    const size_t o = ((size_t)plane * geometry.out_height + oh) * geometry.out_width + ow;
    y[o] = best;
    if (has_indices) indices[o] = (float)(corner + offset);
}

// max_pool_backward_disjoint for 2×2 windows with stride 2 and no padding, when the plane's
// height and width are even (every input element lies in a window).
__kernel void max_pool_2x2_backward(
    __global const float* grad_out, __global const float* indices, __global float* grad_in, int planes,
    int8 g, int ph, int pw)
{
    const PoolGeometry geometry = pool_geometry(g, ph, pw);
    PLANE_ITEM(ow, oh, plane, geometry.out_width, geometry.out_height, planes);
    const int width = geometry.width;
    const size_t o = ((size_t)plane * geometry.out_height + oh) * geometry.out_width + ow;
    const int corner = 2 * oh * width + 2 * ow;
    const int best = (int)indices[o] - corner;
    const float gradient = grad_out[o];
    __global float* target = grad_in + (size_t)plane * geometry.height * width + corner;
    vstore2((float2)(best == 0 ? gradient : 0.0f, best == 1 ? gradient : 0.0f), 0, target);
    vstore2((float2)(best == width ? gradient : 0.0f, best == width + 1 ? gradient : 0.0f), 0, target + width);
}

__kernel void avg_pool_forward(
    __global const float* x, __global float* y, int planes, int8 g, int ph, int pw, int include_padding)
{
    const PoolGeometry geometry = pool_geometry(g, ph, pw);
    PLANE_ITEM(ow, oh, plane, geometry.out_width, geometry.out_height, planes);
    __global const float* source = x + (size_t)plane * geometry.height * geometry.width;
    const Rect window = input_window(geometry, oh, ow);
    float sum = 0.0f;
    FOR_EACH_POSITION(window, h, w) sum += source[h * geometry.width + w];
    y[((size_t)plane * geometry.out_height + oh) * geometry.out_width + ow] =
        sum / window_divisor(geometry, include_padding, oh, ow);
}

__kernel void avg_pool_backward(
    __global const float* grad_out, __global float* grad_in, int planes, int8 g, int ph, int pw, int include_padding)
{
    const PoolGeometry geometry = pool_geometry(g, ph, pw);
    PLANE_ITEM(w, h, plane, geometry.width, geometry.height, planes);
    const size_t base = (size_t)plane * geometry.out_height * geometry.out_width;
    const Rect outputs = covering_outputs(geometry, h, w);
    float sum = 0.0f;
    FOR_EACH_POSITION(outputs, oh, ow) {
        sum += grad_out[base + oh * geometry.out_width + ow] / window_divisor(geometry, include_padding, oh, ow);
    }
    grad_in[((size_t)plane * geometry.height + h) * geometry.width + w] = sum;
}

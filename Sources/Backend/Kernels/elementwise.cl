// Elementwise ops. OpenCL C 1.2, float only.
//
// Every op gets kernels of its own, so that the compiler sees straight-line code it can
// vectorize (PoCL runs a work-group as a loop, ten times faster without a switch inside). The
// kernel names are `<kind>_<op>` with the op names of UnaryOp and BinaryOp in
// Sources/Backend/OpenCL/OpenCLElementwise.swift; the formulas match
// Sources/Backend/CPU/CPUElementwise.swift and CPUScalarMath.swift (which use libm's erf).

#define INV_SQRT_2PI 0.3989422804014327f

// 1 / (1 + e^-x) from e^-|x|, so large magnitudes never overflow.
float sigmoid_stable(float x) {
    float e = exp(-fabs(x));
    return x >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
}

// erf(x) within 1.5e-7 (Abramowitz and Stegun 7.1.26). PoCL's built-in erf is exact but about
// ten times slower than this, which made GELU the slowest elementwise op by far.
float erf_fast(float x) {
    float a = fabs(x);
    float t = 1.0f / (1.0f + 0.3275911f * a);
    float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
    return copysign(1.0f - poly * exp(-a * a), x);
}

// x * Φ(x), the exact (erf) form of GELU.
float gelu_value(float x) {
    return 0.5f * x * (1.0f + erf_fast(x * M_SQRT1_2_F));
}

// Φ(x) + x * φ(x).
float gelu_derivative(float x) {
    return 0.5f * (1.0f + erf_fast(x * M_SQRT1_2_F)) + x * exp(-0.5f * x * x) * INV_SQRT_2PI;
}

float tanh_derivative(float x) {
    float t = tanh(x);
    return 1.0f - t * t;
}

float sigmoid_derivative(float x) {
    float s = sigmoid_stable(x);
    return s * (1.0f - s);
}

// X(name, y as a function of x, dy/dx as a function of x); `p` is the slope of leaky ReLU.
#define UNARY_OPS(X) \
    X(relu, x > 0.0f ? x : 0.0f, x > 0.0f ? 1.0f : 0.0f) \
    X(leaky_relu, x > 0.0f ? x : x * p, x > 0.0f ? 1.0f : p) \
    X(sigmoid, sigmoid_stable(x), sigmoid_derivative(x)) \
    X(tanh, tanh(x), tanh_derivative(x)) \
    X(gelu, gelu_value(x), gelu_derivative(x)) \
    X(exp, exp(x), exp(x)) \
    X(log, log(x), 1.0f / x) \
    X(sqrt, sqrt(x), 0.5f / sqrt(x)) \
    X(neg, -x, -1.0f) \
    X(abs, fabs(x), x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : 0.0f)) \
    X(square, x * x, 2.0f * x)

// y = op(x); gx = g * op'(x); out[r, c] = op(x[r, c] + bias[c]).
#define DEFINE_UNARY(name, value, derivative) \
    __kernel void unary_##name(__global const float* xs, __global float* ys, int count, float p) { \
        int i = get_global_id(0); \
        if (i < count) { \
            float x = xs[i]; \
            ys[i] = value; \
        } \
    } \
    __kernel void unary_backward_##name(__global const float* xs, __global const float* gs, __global float* gxs, \
                                        int count, float p) { \
        int i = get_global_id(0); \
        if (i < count) { \
            float x = xs[i]; \
            gxs[i] = gs[i] * (derivative); \
        } \
    } \
    __kernel void bias_##name(__global const float* xs, __global const float* bias, __global float* out, \
                              int count, int columns, float p) { \
        int i = get_global_id(0); \
        if (i < count) { \
            float x = xs[i] + bias[i % columns]; \
            out[i] = value; \
        } \
    }

UNARY_OPS(DEFINE_UNARY)

// out[r, c] = x[r, c] + bias[c], without an activation.
__kernel void bias_identity(__global const float* xs, __global const float* bias, __global float* out,
                            int count, int columns, float p) {
    int i = get_global_id(0);
    if (i < count) out[i] = xs[i] + bias[i % columns];
}

// X(name, dy/dx as a function of the output y) for the activations whose derivative follows
// from their output; `p` is the slope of leaky ReLU (>= 0).
#define OUTPUT_DERIVATIVE_OPS(X) \
    X(relu, y > 0.0f ? 1.0f : 0.0f) \
    X(leaky_relu, y > 0.0f ? 1.0f : p) \
    X(sigmoid, y * (1.0f - y)) \
    X(tanh, 1.0f - y * y)

// gx = g * op'(y), one element per work-item; gx may be g.
#define DEFINE_ACTIVATION_BACKWARD(name, derivative) \
    __kernel void activation_backward_##name(__global const float* ys, __global const float* gs, __global float* gxs, \
                                             int count, float p) { \
        int i = get_global_id(0); \
        if (i < count) { \
            float y = ys[i]; \
            gxs[i] = gs[i] * (derivative); \
        } \
    }

// The backward pass of bias_<name> from its output: gx[r, c] = g[r, c] * op'(y[r, c]) and
// gb[c] (+)= sum over r of gx[r, c]; one column per work-item, so neighbouring items read
// neighbouring addresses. gx may be g.
#define DEFINE_BIAS_BACKWARD(name, derivative) \
    __kernel void bias_backward_##name(__global const float* ys, __global const float* gs, __global float* gxs, \
                                       __global float* gb, int rows, int columns, float p, int accumulate) { \
        int c = get_global_id(0); \
        if (c >= columns) return; \
        float sum = 0.0f; \
        for (int r = 0; r < rows; r++) { \
            size_t i = (size_t)r * columns + c; \
            float y = ys[i]; \
            float gx = gs[i] * (derivative); \
            gxs[i] = gx; \
            sum += gx; \
        } \
        gb[c] = accumulate ? gb[c] + sum : sum; \
    }

OUTPUT_DERIVATIVE_OPS(DEFINE_ACTIVATION_BACKWARD)
OUTPUT_DERIVATIVE_OPS(DEFINE_BIAS_BACKWARD)

// bias_backward_<name> without an activation: the gradient passes through, the bias sums it.
__kernel void bias_backward_identity(__global const float* ys, __global const float* gs, __global float* gxs,
                                     __global float* gb, int rows, int columns, float p, int accumulate) {
    int c = get_global_id(0);
    if (c >= columns) return;
    float sum = 0.0f;
    for (int r = 0; r < rows; r++) {
        size_t i = (size_t)r * columns + c;
        float gx = gs[i];
        gxs[i] = gx;
        sum += gx;
    }
    gb[c] = accumulate ? gb[c] + sum : sum;
}

// The offsets into both operands of output element i under NumPy broadcasting: `dims` are the
// merged output sizes (outermost first, `rank` of them), `strides_a` and `strides_b` the element
// strides of each operand (0 on a broadcast dimension).
void broadcast_offsets(int i, int rank, int8 dims, int8 strides_a, int8 strides_b, int* offset_a, int* offset_b) {
    int size[8] = {dims.s0, dims.s1, dims.s2, dims.s3, dims.s4, dims.s5, dims.s6, dims.s7};
    int step_a[8] = {strides_a.s0, strides_a.s1, strides_a.s2, strides_a.s3,
                     strides_a.s4, strides_a.s5, strides_a.s6, strides_a.s7};
    int step_b[8] = {strides_b.s0, strides_b.s1, strides_b.s2, strides_b.s3,
                     strides_b.s4, strides_b.s5, strides_b.s6, strides_b.s7};
    int rest = i;
    *offset_a = 0;
    *offset_b = 0;
    for (int d = rank - 1; d >= 0; --d) {
        int position = rest % size[d];
        rest /= size[d];
        *offset_a += position * step_a[d];
        *offset_b += position * step_b[d];
    }
}

// X(name, out as a function of a and b).
#define BINARY_OPS(X) \
    X(add, a + b) \
    X(sub, a - b) \
    X(mul, a * b) \
    X(div, a / b) \
    X(max, a > b ? a : b) \
    X(min, a < b ? a : b) \
    X(pow, pow(a, b))

// Same shapes; NumPy broadcasting; a tensor and a scalar (the scalar first when `scalar_first`).
#define DEFINE_BINARY(name, value) \
    __kernel void binary_##name(__global const float* as, __global const float* bs, __global float* out, int count) { \
        int i = get_global_id(0); \
        if (i < count) { \
            float a = as[i]; \
            float b = bs[i]; \
            out[i] = value; \
        } \
    } \
    __kernel void binary_broadcast_##name(__global const float* as, __global const float* bs, __global float* out, \
                                          int count, int rank, int8 dims, int8 strides_a, int8 strides_b) { \
        int i = get_global_id(0); \
        if (i < count) { \
            int offset_a; \
            int offset_b; \
            broadcast_offsets(i, rank, dims, strides_a, strides_b, &offset_a, &offset_b); \
            float a = as[offset_a]; \
            float b = bs[offset_b]; \
            out[i] = value; \
        } \
    } \
    __kernel void binary_scalar_##name(__global const float* xs, __global float* out, int count, float scalar, \
                                       int scalar_first) { \
        int i = get_global_id(0); \
        if (i < count) { \
            float a = scalar_first ? scalar : xs[i]; \
            float b = scalar_first ? xs[i] : scalar; \
            out[i] = value; \
        } \
    }

BINARY_OPS(DEFINE_BINARY)

__kernel void fill(__global float* x, int count, float value) {
    int i = get_global_id(0);
    if (i < count) x[i] = value;
}

// Elementwise ops. OpenCL C 1.2, float only.
// Op codes: UnaryOp.code and BinaryOp.rawValue in Sources/Backend/Core/Elementwise.swift.
// The formulas match Sources/Backend/CPU/CPUElementwise.swift and CPUScalarMath.swift.

#define UNARY_RELU 0
#define UNARY_LEAKY_RELU 1
#define UNARY_SIGMOID 2
#define UNARY_TANH 3
#define UNARY_GELU 4
#define UNARY_EXP 5
#define UNARY_LOG 6
#define UNARY_SQRT 7
#define UNARY_NEG 8
#define UNARY_ABS 9
#define UNARY_SQUARE 10

#define BINARY_ADD 0
#define BINARY_SUB 1
#define BINARY_MUL 2
#define BINARY_DIV 3
#define BINARY_MAX 4
#define BINARY_MIN 5
#define BINARY_POW 6

#define INV_SQRT_2PI 0.3989422804014327f

// 1 / (1 + e^-x) from e^-|x|, so large magnitudes never overflow.
float sigmoid_stable(float x) {
    float e = exp(-fabs(x));
    return x >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
}

// y = op(x); `parameter` is the slope of leaky ReLU.
float unary_value(int op, float x, float parameter) {
    switch (op) {
    case UNARY_RELU: return x > 0.0f ? x : 0.0f;
    case UNARY_LEAKY_RELU: return x > 0.0f ? x : x * parameter;
    case UNARY_SIGMOID: return sigmoid_stable(x);
    case UNARY_TANH: return tanh(x);
    case UNARY_GELU: return 0.5f * x * (1.0f + erf(x * M_SQRT1_2_F));
    case UNARY_EXP: return exp(x);
    case UNARY_LOG: return log(x);
    case UNARY_SQRT: return sqrt(x);
    case UNARY_NEG: return -x;
    case UNARY_ABS: return fabs(x);
    case UNARY_SQUARE: return x * x;
    default: return NAN;
    }
}

// g * op'(x).
float unary_gradient(int op, float x, float g, float parameter) {
    switch (op) {
    case UNARY_RELU: return x > 0.0f ? g : 0.0f;
    case UNARY_LEAKY_RELU: return x > 0.0f ? g : g * parameter;
    case UNARY_SIGMOID: {
        float s = sigmoid_stable(x);
        return g * s * (1.0f - s);
    }
    case UNARY_TANH: {
        float t = tanh(x);
        return g * (1.0f - t * t);
    }
    case UNARY_GELU:
        return g * (0.5f * (1.0f + erf(x * M_SQRT1_2_F)) + x * exp(-0.5f * x * x) * INV_SQRT_2PI);
    case UNARY_EXP: return g * exp(x);
    case UNARY_LOG: return g / x;
    case UNARY_SQRT: return g / (2.0f * sqrt(x));
    case UNARY_NEG: return -g;
    case UNARY_ABS: return x > 0.0f ? g : (x < 0.0f ? -g : 0.0f);
    case UNARY_SQUARE: return 2.0f * x * g;
    default: return NAN;
    }
}

float binary_value(int op, float a, float b) {
    switch (op) {
    case BINARY_ADD: return a + b;
    case BINARY_SUB: return a - b;
    case BINARY_MUL: return a * b;
    case BINARY_DIV: return a / b;
    case BINARY_MAX: return a > b ? a : b;
    case BINARY_MIN: return a < b ? a : b;
    case BINARY_POW: return pow(a, b);
    default: return NAN;
    }
}

__kernel void unary_forward(__global const float* x, __global float* y, int count, int op, float parameter) {
    int i = get_global_id(0);
    if (i < count) y[i] = unary_value(op, x[i], parameter);
}

__kernel void unary_backward(__global const float* x, __global const float* g, __global float* gx,
                             int count, int op, float parameter) {
    int i = get_global_id(0);
    if (i < count) gx[i] = unary_gradient(op, x[i], g[i], parameter);
}

// Same-shape operands.
__kernel void binary_same(__global const float* a, __global const float* b, __global float* out, int count, int op) {
    int i = get_global_id(0);
    if (i < count) out[i] = binary_value(op, a[i], b[i]);
}

// NumPy broadcasting: `dims` are the merged output sizes (outermost first, `rank` of them) and
// `strides_a`, `strides_b` the element strides of each operand (0 on a broadcast dimension).
__kernel void binary_broadcast(__global const float* a, __global const float* b, __global float* out,
                               int count, int op, int rank, int8 dims, int8 strides_a, int8 strides_b) {
    int i = get_global_id(0);
    if (i >= count) return;
    int size[8] = {dims.s0, dims.s1, dims.s2, dims.s3, dims.s4, dims.s5, dims.s6, dims.s7};
    int step_a[8] = {strides_a.s0, strides_a.s1, strides_a.s2, strides_a.s3,
                     strides_a.s4, strides_a.s5, strides_a.s6, strides_a.s7};
    int step_b[8] = {strides_b.s0, strides_b.s1, strides_b.s2, strides_b.s3,
                     strides_b.s4, strides_b.s5, strides_b.s6, strides_b.s7};
    int rest = i;
    int offset_a = 0;
    int offset_b = 0;
    for (int d = rank - 1; d >= 0; --d) {
        int position = rest % size[d];
        rest /= size[d];
        offset_a += position * step_a[d];
        offset_b += position * step_b[d];
    }
    out[i] = binary_value(op, a[offset_a], b[offset_b]);
}

// out = op(x, scalar), or op(scalar, x) when `scalar_first`.
__kernel void binary_scalar(__global const float* x, __global float* out, int count, int op,
                            float scalar, int scalar_first) {
    int i = get_global_id(0);
    if (i < count) out[i] = scalar_first ? binary_value(op, scalar, x[i]) : binary_value(op, x[i], scalar);
}

// out[r, c] = activation(x[r, c] + bias[c]); no activation when `activation` < 0.
__kernel void bias_activation(__global const float* x, __global const float* bias, __global float* out,
                              int count, int columns, int activation, float parameter) {
    int i = get_global_id(0);
    if (i >= count) return;
    float value = x[i] + bias[i % columns];
    out[i] = activation < 0 ? value : unary_value(activation, value, parameter);
}

__kernel void fill(__global float* x, int count, float value) {
    int i = get_global_id(0);
    if (i < count) x[i] = value;
}

// Losses and their gradients (see Core/Loss.swift). Per-sample losses go to a buffer; a reduced
// loss is then summed in two deterministic stages without local memory.

// An upstream gradient: mode 0 means 1, mode 1 one value for all samples, mode 2 one per sample.
float upstream_at(__global const float* upstream, int mode, int sample) {
    return mode == 0 ? 1.0f : (mode == 1 ? upstream[0] : upstream[sample]);
}

// One row of softmax cross-entropy, stable for large logits: returns the row loss and, when
// has_grad, writes (softmax - onehot) * factor. A label that is not an integer class gives NaN.
float cross_entropy_row(
    __global const float* z, int classes, float label, __global float* grad, int has_grad, float factor)
{
    const int valid = label >= 0.0f && label < (float)classes && label == floor(label);
    const int target = valid ? (int)label : 0;
    float largest = -INFINITY;
    for (int j = 0; j < classes; ++j) largest = fmax(largest, z[j]);
    float sum = 0.0f;
    for (int j = 0; j < classes; ++j) sum += exp(z[j] - largest);
    if (has_grad) {
        for (int j = 0; j < classes; ++j) {
            const float probability = exp(z[j] - largest) / sum;
            grad[j] = valid ? (probability - (j == target ? 1.0f : 0.0f)) * factor : NAN;
        }
    }
    return valid ? log(sum) - (z[target] - largest) : NAN;
}

__kernel void cross_entropy(
    __global const float* logits, __global const float* labels, int rows, int classes,
    __global float* row_loss, __global float* grad, int has_grad, float grad_scale)
{
    const int row = get_global_id(0);
    if (row >= rows) return;
    const size_t base = (size_t)row * classes;
    row_loss[row] = cross_entropy_row(logits + base, classes, labels[row], grad + base, has_grad, grad_scale);
}

__kernel void cross_entropy_backward(
    __global const float* logits, __global const float* labels, int rows, int classes,
    __global const float* upstream, int upstream_mode, __global float* grad, float grad_scale)
{
    const int row = get_global_id(0);
    if (row >= rows) return;
    const size_t base = (size_t)row * classes;
    const float factor = grad_scale * upstream_at(upstream, upstream_mode, row);
    cross_entropy_row(logits + base, classes, labels[row], grad + base, 1, factor);
}

// kind 0: squared error, 1: binary cross-entropy with logits.
float elementwise_loss_value(int kind, float x, float y) {
    if (kind == 0) return (x - y) * (x - y);
    return fmax(x, 0.0f) - x * y + log1p(exp(-fabs(x)));
}

float elementwise_loss_derivative(int kind, float x, float y) {
    if (kind == 0) return 2.0f * (x - y);
    const float e = exp(-fabs(x));
    return (x >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e)) - y;
}

__kernel void elementwise_loss(
    __global const float* x, __global const float* y, int n, int kind, __global float* out)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    out[i] = elementwise_loss_value(kind, x[i], y[i]);
}

__kernel void elementwise_loss_backward(
    __global const float* x, __global const float* y, int n, int kind,
    __global const float* upstream, int upstream_mode, __global float* grad, float grad_scale)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    grad[i] = elementwise_loss_derivative(kind, x[i], y[i]) * grad_scale * upstream_at(upstream, upstream_mode, i);
}

// Stage 1: partials[j] = Σ values[i] over i ≡ j (mod parts).
__kernel void sum_partials(__global const float* values, int n, __global float* partials, int parts) {
    const int j = get_global_id(0);
    if (j >= parts) return;
    float sum = 0.0f;
    for (int i = j; i < n; i += parts) sum += values[i];
    partials[j] = sum;
}

// Stage 2: out[0] = scale * Σ partials, by one work-item.
__kernel void sum_finish(__global const float* partials, int parts, __global float* out, float scale) {
    if (get_global_id(0) != 0) return;
    float sum = 0.0f;
    for (int j = 0; j < parts; ++j) sum += partials[j];
    out[0] = sum * scale;
}

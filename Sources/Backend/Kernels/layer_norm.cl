// Layer normalization (Sources/Backend/Core/LayerNormalization.swift): the input is [rows, features],
// each row normalized over its own features. One work-item owns a row (the statistics, the
// output, the input gradient); one owns a feature for the gamma and beta gradients, summing the
// rows in order. No local memory, so any work-group size works; items past the end return.

// mean[r], inverse_std[r] = 1 / sqrt(biased variance + epsilon), y = (x − mean) · inverse_std · gamma + beta.
__kernel void layer_norm_rows(__global const float* x, __global const float* gamma, __global const float* beta,
                              float epsilon, __global float* y, __global float* mean, __global float* inverse_std,
                              int rows, int features) {
    int r = get_global_id(0);
    if (r >= rows) return;
    __global const float* row = x + r * features;
    float sum = 0.0f;
    for (int f = 0; f < features; f++) sum += row[f];
    float mu = sum / features;
    float squares = 0.0f;
    for (int f = 0; f < features; f++) {
        float d = row[f] - mu;
        squares += d * d;
    }
    float inverse = 1.0f / sqrt(squares / features + epsilon);
    __global float* out = y + r * features;
    for (int f = 0; f < features; f++) out[f] = (row[f] - mu) * inverse * gamma[f] + beta[f];
    mean[r] = mu;
    inverse_std[r] = inverse;
}

// dx = inverse · dy · gamma + b · (x − mean) + d per row, the input gradient of layer norm expanded.
__kernel void layer_norm_backward_input(__global const float* dy, __global const float* x, __global const float* gamma,
                                        __global const float* mean, __global const float* inverse_std,
                                        __global float* dx, int rows, int features) {
    int r = get_global_id(0);
    if (r >= rows) return;
    int start = r * features;
    float mu = mean[r], inverse = inverse_std[r];
    float sum = 0.0f, dot = 0.0f;
    for (int f = 0; f < features; f++) {
        float g = dy[start + f] * gamma[f];
        sum += g;
        dot += g * (x[start + f] - mu);
    }
    float b = -inverse * inverse * inverse * dot / features;
    float d = -inverse * sum / features;
    for (int f = 0; f < features; f++) dx[start + f] = inverse * dy[start + f] * gamma[f] + b * (x[start + f] - mu) + d;
}

// grad_beta[f] = Σ_r dy and grad_gamma[f] = Σ_r dy · (x − mean) · inverse_std, one item per feature.
__kernel void layer_norm_backward_parameters(__global const float* dy, __global const float* x, __global const float* mean,
                                             __global const float* inverse_std, __global float* grad_gamma,
                                             __global float* grad_beta, int rows, int features) {
    int f = get_global_id(0);
    if (f >= features) return;
    float sum = 0.0f, dot = 0.0f;
    for (int r = 0; r < rows; r++) {
        int k = r * features + f;
        sum += dy[k];
        dot += dy[k] * (x[k] - mean[r]) * inverse_std[r];
    }
    grad_beta[f] = sum;
    grad_gamma[f] = dot;
}

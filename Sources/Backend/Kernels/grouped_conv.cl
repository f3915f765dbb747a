// Grouped 2-d convolution over NCHW tensors, computed directly. OpenCL C 1.2, float only.
// `sizes` = (N, C, H, W, K, R, S, groups), `geometry` = (P, Q, stride h, stride w, padding h,
// padding w, dilation h, dilation w); weight [K, C / groups, R, S] (GroupedConvolutionOps in
// Sources/Backend/Core/GroupedConvolution.swift).

// One item per output value: grid (Q, P, N · K).
__kernel void grouped_conv_forward(__global const float* x, __global const float* w, __global const float* bias,
                                   int has_bias, __global float* y, int8 sizes, int8 geometry) {
    int q = get_global_id(0);
    int p = get_global_id(1);
    int plane = get_global_id(2);
    int C = sizes.s1, H = sizes.s2, W = sizes.s3, K = sizes.s4, R = sizes.s5, S = sizes.s6, groups = sizes.s7;
    int P = geometry.s0, Q = geometry.s1;
    if (q >= Q || p >= P || plane >= sizes.s0 * K) return;
    int n = plane / K, k = plane % K;
    int cg = C / groups, first = (k / (K / groups)) * cg;
    float sum = has_bias ? bias[k] : 0.0f;
    for (int c = 0; c < cg; ++c) {
        __global const float* image = x + (n * C + first + c) * H * W;
        __global const float* taps = w + (k * cg + c) * R * S;
        for (int r = 0; r < R; ++r) {
            int h = p * geometry.s2 - geometry.s4 + r * geometry.s6;
            if (h < 0 || h >= H) continue;
            for (int s = 0; s < S; ++s) {
                int column = q * geometry.s3 - geometry.s5 + s * geometry.s7;
                if (column >= 0 && column < W) sum += taps[r * S + s] * image[h * W + column];
            }
        }
    }
    y[(plane * P + p) * Q + q] = sum;
}

// One item per input value: grid (W, H, N · C).
__kernel void grouped_conv_backward_input(__global const float* dy, __global const float* w, __global float* dx,
                                          int8 sizes, int8 geometry) {
    int column = get_global_id(0);
    int h = get_global_id(1);
    int plane = get_global_id(2);
    int C = sizes.s1, H = sizes.s2, W = sizes.s3, K = sizes.s4, R = sizes.s5, S = sizes.s6, groups = sizes.s7;
    int P = geometry.s0, Q = geometry.s1;
    if (column >= W || h >= H || plane >= sizes.s0 * C) return;
    int n = plane / C, channel = plane % C;
    int cg = C / groups, kg = K / groups;
    int first = (channel / cg) * kg, member = channel % cg;
    float sum = 0.0f;
    for (int k = first; k < first + kg; ++k) {
        __global const float* gradients = dy + (n * K + k) * P * Q;
        __global const float* taps = w + (k * cg + member) * R * S;
        for (int r = 0; r < R; ++r) {
            int rows = h + geometry.s4 - r * geometry.s6;
            if (rows < 0 || rows % geometry.s2 != 0 || rows / geometry.s2 >= P) continue;
            for (int s = 0; s < S; ++s) {
                int columns = column + geometry.s5 - s * geometry.s7;
                if (columns < 0 || columns % geometry.s3 != 0 || columns / geometry.s3 >= Q) continue;
                sum += taps[r * S + s] * gradients[(rows / geometry.s2) * Q + columns / geometry.s3];
            }
        }
    }
    dx[(plane * H + h) * W + column] = sum;
}

// One item per weight value, summing over the batch and the output plane.
__kernel void grouped_conv_backward_weight(__global const float* dy, __global const float* x, __global float* dw,
                                           int count, int accumulate, int8 sizes, int8 geometry) {
    int index = get_global_id(0);
    if (index >= count) return;
    int N = sizes.s0, C = sizes.s1, H = sizes.s2, W = sizes.s3, K = sizes.s4, R = sizes.s5, S = sizes.s6, groups = sizes.s7;
    int P = geometry.s0, Q = geometry.s1;
    int cg = C / groups, taps = R * S;
    int k = index / (cg * taps), member = (index / taps) % cg, r = (index % taps) / S, s = index % S;
    int channel = (k / (K / groups)) * cg + member;
    float sum = 0.0f;
    for (int n = 0; n < N; ++n) {
        __global const float* image = x + (n * C + channel) * H * W;
        __global const float* gradients = dy + (n * K + k) * P * Q;
        for (int p = 0; p < P; ++p) {
            int h = p * geometry.s2 - geometry.s4 + r * geometry.s6;
            if (h < 0 || h >= H) continue;
            for (int q = 0; q < Q; ++q) {
                int column = q * geometry.s3 - geometry.s5 + s * geometry.s7;
                if (column >= 0 && column < W) sum += gradients[p * Q + q] * image[h * W + column];
            }
        }
    }
    dw[index] = (accumulate ? dw[index] : 0.0f) + sum;
}

// Batch normalization in training mode (Sources/Backend/Core/Normalization.swift): the input is
// [batch, channels, spatial]; each channel is normalized over its batch · spatial values.
// The statistics and gradient sums take one work-group per channel (group id 1); its size is a
// power of two, the launch has no partial groups, and every item reaches every barrier.

// The sum of every item's `value` in the work-group, returned to all items.
float group_total(__local float* scratch, float value) {
    int item = get_local_id(0);
    int size = get_local_size(0);
    scratch[item] = value;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int width = size / 2; width > 0; width /= 2) {
        if (item < width) scratch[item] += scratch[item + width];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float total = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return total;
}

// The position in memory of value i (0 ..< batch · spatial) of channel c.
int channel_value(int i, int c, int channels, int spatial) {
    int n = i / spatial;
    return (n * channels + c) * spatial + (i - n * spatial);
}

// The mean and the biased variance (over the mean, a second pass) of each channel.
__kernel void batch_norm_statistics(__global const float* x, __global float* mean, __global float* variance, int batch,
                                    int channels, int spatial, __local float* scratch) {
    int c = get_group_id(1);
    int count = batch * spatial;
    float sum = 0.0f;
    for (int i = get_local_id(0); i < count; i += get_local_size(0)) sum += x[channel_value(i, c, channels, spatial)];
    float mu = group_total(scratch, sum) / count;
    float squares = 0.0f;
    for (int i = get_local_id(0); i < count; i += get_local_size(0)) {
        float d = x[channel_value(i, c, channels, spatial)] - mu;
        squares += d * d;
    }
    float sigma2 = group_total(scratch, squares) / count;
    if (get_local_id(0) == 0) {
        mean[c] = mu;
        variance[c] = sigma2;
    }
}

// One item per value (s, c, n): y = x · scale + shift with scale = gamma / sqrt(variance + epsilon),
// or max(0, y) when relu is not 0.
__kernel void batch_norm_apply(__global const float* x, __global const float* gamma, __global const float* beta,
                               __global const float* mean, __global const float* variance, float epsilon, int relu,
                               __global float* y, int batch, int channels, int spatial) {
    int s = get_global_id(0), c = get_global_id(1), n = get_global_id(2);
    if (s >= spatial || c >= channels || n >= batch) return;
    float scale = gamma[c] / sqrt(variance[c] + epsilon);
    float shift = beta[c] - mean[c] * scale;
    int k = (n * channels + c) * spatial + s;
    float value = x[k] * scale + shift;
    y[k] = relu ? fmax(value, 0.0f) : value;
}

// The gradient of batch norm's output at k: dy, or with a fused ReLU (masked not 0), dy where
// the ReLU's output relu_y is positive and 0 elsewhere.
float masked_gradient(__global const float* dy, __global const float* relu_y, int masked, int k) {
    return (!masked || relu_y[k] > 0.0f) ? dy[k] : 0.0f;
}

// grad_beta = Σ dy and grad_gamma = Σ dy · (x − mean) / sqrt(variance + epsilon), per channel
// (dy masked by the fused ReLU's output, see masked_gradient).
__kernel void batch_norm_backward_sums(__global const float* dy, __global const float* relu_y, int masked,
                                       __global const float* x, __global const float* mean,
                                       __global const float* variance, float epsilon, __global float* grad_gamma,
                                       __global float* grad_beta, int batch, int channels, int spatial,
                                       __local float* scratch) {
    int c = get_group_id(1);
    int count = batch * spatial;
    float mu = mean[c];
    float sum = 0.0f, dot = 0.0f;
    for (int i = get_local_id(0); i < count; i += get_local_size(0)) {
        int k = channel_value(i, c, channels, spatial);
        float g = masked_gradient(dy, relu_y, masked, k);
        sum += g;
        dot += g * (x[k] - mu);
    }
    float total = group_total(scratch, sum);
    float product = group_total(scratch, dot);
    if (get_local_id(0) == 0) {
        grad_beta[c] = total;
        grad_gamma[c] = product / sqrt(variance[c] + epsilon);
    }
}

// One item per value (s, c, n): dx = a · dy + b · x + d, the input gradient of batch norm expanded
// (dy masked by the fused ReLU's output, see masked_gradient).
__kernel void batch_norm_backward_input(__global const float* dy, __global const float* relu_y, int masked,
                                        __global const float* x, __global const float* gamma,
                                        __global const float* mean, __global const float* variance, float epsilon,
                                        __global const float* grad_gamma, __global const float* grad_beta,
                                        __global float* dx, int batch, int channels, int spatial) {
    int s = get_global_id(0), c = get_global_id(1), n = get_global_id(2);
    if (s >= spatial || c >= channels || n >= batch) return;
    float count = (float)(batch * spatial);
    float inverse = 1.0f / sqrt(variance[c] + epsilon);
    float a = gamma[c] * inverse;
    float b = -a * inverse * grad_gamma[c] / count;
    float d = -b * mean[c] - a * grad_beta[c] / count;
    int k = (n * channels + c) * spatial + s;
    dx[k] = a * masked_gradient(dy, relu_y, masked, k) + b * x[k] + d;
}

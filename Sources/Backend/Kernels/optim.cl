// Fused optimizer updates: one work-item per parameter reads the parameter, its gradient and
// its state once and writes them back once. The formulas are documented in Core/Optimizer.swift.

// mode 0: plain SGD (v unused), 1: momentum, 2: Nesterov momentum.
__kernel void sgd_step(
    __global float* p, __global const float* g, __global float* v, int n,
    float lr, float weight_decay, float momentum, int mode)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float param = p[i];
    const float grad = g[i] + weight_decay * param;
    float direction = grad;
    if (mode != 0) {
        const float velocity = momentum * v[i] + grad;
        v[i] = velocity;
        direction = mode == 2 ? grad + momentum * velocity : velocity;
    }
    p[i] = param - lr * direction;
}

// mode bit 1: centered (a holds the gradient average), bit 2: momentum (b holds the buffer);
// a and b are not read or written without their bit.
__kernel void rmsprop_step(
    __global float* p, __global const float* g, __global float* s, __global float* a, __global float* b, int n,
    float lr, float decay, float epsilon, float weight_decay, float momentum, int mode)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float param = p[i];
    const float grad = g[i] + weight_decay * param;
    const float average = decay * s[i] + (1.0f - decay) * grad * grad;
    s[i] = average;
    float variance = average;
    if (mode & 1) {
        const float mean = decay * a[i] + (1.0f - decay) * grad;
        a[i] = mean;
        variance = fmax(average - mean * mean, 0.0f);
    }
    float direction = grad / (sqrt(variance) + epsilon);
    if (mode & 2) {
        direction = momentum * b[i] + direction;
        b[i] = direction;
    }
    p[i] = param - lr * direction;
}

__kernel void adam_step(
    __global float* p, __global const float* g, __global float* m, __global float* v, int n,
    float beta1, float beta2, float epsilon, float step_size, float inverse_root_correction2,
    float parameter_scale, float gradient_decay)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float param = p[i];
    const float grad = g[i] + gradient_decay * param;
    const float first = beta1 * m[i] + (1.0f - beta1) * grad;
    const float second = beta2 * v[i] + (1.0f - beta2) * grad * grad;
    m[i] = first;
    v[i] = second;
    p[i] = param * parameter_scale - step_size * first / (sqrt(second) * inverse_root_correction2 + epsilon);
}

__kernel void l1_subgradient(__global const float* p, __global float* g, int n, float strength) {
    const int i = get_global_id(0);
    if (i >= n) return;
    const float param = p[i];
    g[i] += param > 0.0f ? strength : (param < 0.0f ? -strength : 0.0f);
}

// Sum of the local size's values (a power of two); every work-item of the group must call it.
float group_sum(__local float* scratch, float value) {
    const int lid = get_local_id(0);
    scratch[lid] = value;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int width = get_local_size(0) / 2; width > 0; width >>= 1) {
        if (lid < width) scratch[lid] += scratch[lid + width];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    return scratch[0];
}

// partials[first_partial + group] = Σ x² over the elements this group strides over. The launch
// has exactly groups × local size work-items.
__kernel void sum_squares_partial(
    __global const float* x, int n, __global float* partials, int first_partial, __local float* scratch)
{
    float sum = 0.0f;
    for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
        const float value = x[i];
        sum += value * value;
    }
    const float total = group_sum(scratch, sum);
    if (get_local_id(0) == 0) partials[first_partial + get_group_id(0)] = total;
}

// norm[0] = √(Σ partials), by one work-group.
__kernel void norm_finish(__global const float* partials, int count, __global float* norm, __local float* scratch) {
    float sum = 0.0f;
    for (int i = get_local_id(0); i < count; i += get_local_size(0)) sum += partials[i];
    const float total = group_sum(scratch, sum);
    if (get_local_id(0) == 0) norm[0] = sqrt(total);
}

__kernel void scale_in_place(__global float* x, int n, float factor) {
    const int i = get_global_id(0);
    if (i >= n) return;
    x[i] *= factor;
}

// Clipping: x *= min(1, max_norm / (norm[0] + epsilon)).
__kernel void clip_scale(__global float* x, int n, __global const float* norm, float max_norm, float epsilon) {
    const int i = get_global_id(0);
    if (i >= n) return;
    const float factor = max_norm / (norm[0] + epsilon);
    if (factor < 1.0f) x[i] *= factor;
}

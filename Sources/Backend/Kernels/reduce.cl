// Reductions and softmax. OpenCL C 1.2, float only.
// Op codes: ReduceOp.rawValue in Sources/Backend/Core/Reduction.swift.
//
// A reduced "row" is `length` values `inner` apart; row r starts at
// (r / inner) * length * inner + r % inner (the AxisSplit layout). Work-group sizes are powers of
// two and every work-item reaches every barrier: work is guarded, never skipped by a return.

#define REDUCE_SUM 0
#define REDUCE_MEAN 1
#define REDUCE_MAX 2
#define REDUCE_ARGMAX 3

int row_start(int row, int length, int inner) {
    return (row / inner) * length * inner + row % inner;
}

int is_sum(int op) {
    return op == REDUCE_SUM || op == REDUCE_MEAN;
}

// Folds x[start + l * inner] for l = first, first + step, ... below `length` into
// (*value, *index): a compensated sum, or the first maximum and its position (-1 when empty).
void fold_row(__global const float* x, int start, int inner, int length, int first, int step, int op,
              float* value, int* index) {
    float accumulator = is_sum(op) ? 0.0f : -INFINITY;
    float compensation = 0.0f;
    int best = -1;
    for (int l = first; l < length; l += step) {
        float v = x[start + l * inner];
        if (is_sum(op)) {
            float corrected = v - compensation;
            float next = accumulator + corrected;
            compensation = (next - accumulator) - corrected;
            accumulator = next;
        } else if (best < 0 || v > accumulator) {
            accumulator = v;
            best = l;
        }
    }
    *value = accumulator;
    *index = best;
}

// Combines the (value, index) pairs the work-items stored at their local ids into item 0.
// Ties between maxima keep the smaller position.
void group_combine(int op, __local float* values, __local int* indices) {
    int lid = get_local_id(0);
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int half = get_local_size(0) / 2; half > 0; half >>= 1) {
        if (lid < half) {
            float other = values[lid + half];
            int other_index = indices[lid + half];
            if (is_sum(op)) {
                values[lid] += other;
            } else if (other_index >= 0 &&
                       (indices[lid] < 0 || other > values[lid] ||
                        (other == values[lid] && other_index < indices[lid]))) {
                values[lid] = other;
                indices[lid] = other_index;
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
}

float finish(int op, float value, int index, float scale) {
    if (op == REDUCE_ARGMAX) return (float)max(index, 0);
    return op == REDUCE_MEAN ? value * scale : value;
}

// Pass 1: `parts` work-groups per row. With one part the result goes to out[row]; otherwise
// each group stores its value at out[group] and its position's bits at out[groups + group].
__kernel void reduce_rows(__global const float* x, __global float* out, int length, int inner, int parts,
                          int groups, int op, float scale, __local float* values, __local int* indices) {
    int group = get_group_id(0);
    int lid = get_local_id(0);
    int size = get_local_size(0);
    int row = group / parts;
    int part = group - row * parts;
    float value;
    int index;
    fold_row(x, row_start(row, length, inner), inner, length, part * size + lid, parts * size, op, &value, &index);
    values[lid] = value;
    indices[lid] = index;
    group_combine(op, values, indices);
    if (lid == 0) {
        if (parts == 1) {
            out[row] = finish(op, values[0], indices[0], scale);
        } else {
            out[group] = values[0];
            out[groups + group] = as_float(indices[0]);
        }
    }
}

// Pass 2: one work-group per row combines the `parts` partial results of reduce_rows.
__kernel void reduce_partials(__global const float* partials, __global float* out, int parts, int groups,
                              int op, float scale, __local float* values, __local int* indices) {
    int row = get_group_id(0);
    int lid = get_local_id(0);
    float value = is_sum(op) ? 0.0f : -INFINITY;
    int index = -1;
    for (int p = lid; p < parts; p += get_local_size(0)) {
        float v = partials[row * parts + p];
        int position = as_int(partials[groups + row * parts + p]);
        if (is_sum(op)) {
            value += v;
        } else if (position >= 0 && (index < 0 || v > value)) {
            value = v;
            index = position;
        }
    }
    values[lid] = value;
    indices[lid] = index;
    group_combine(op, values, indices);
    if (lid == 0) out[row] = finish(op, values[0], indices[0], scale);
}

// Many rows whose values lie `inner` apart: one work-item per row, so neighbouring items read
// neighbouring addresses.
__kernel void reduce_columns(__global const float* x, __global float* out, int rows, int length, int inner,
                             int op, float scale) {
    int row = get_global_id(0);
    if (row >= rows) return;
    float value;
    int index;
    fold_row(x, row_start(row, length, inner), inner, length, 0, 1, op, &value, &index);
    out[row] = finish(op, value, index, scale);
}

// The maximum (or the sum) of `v` over the work-group, returned to every item.
float group_reduce(__local float* scratch, float v, int take_max) {
    int lid = get_local_id(0);
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int half = get_local_size(0) / 2; half > 0; half >>= 1) {
        if (lid < half) {
            scratch[lid] = take_max ? fmax(scratch[lid], scratch[lid + half]) : scratch[lid] + scratch[lid + half];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float result = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return result;
}

// One work-group per row: y = exp(x - max) / sum, or x - max - log(sum) in log mode.
__kernel void softmax_rows(__global const float* x, __global float* y, int length, int inner, int log_mode,
                           __local float* scratch) {
    int start = row_start(get_group_id(0), length, inner);
    int lid = get_local_id(0);
    int size = get_local_size(0);
    float maximum = -INFINITY;
    for (int l = lid; l < length; l += size) maximum = fmax(maximum, x[start + l * inner]);
    maximum = group_reduce(scratch, maximum, 1);
    float total = 0.0f;
    for (int l = lid; l < length; l += size) total += exp(x[start + l * inner] - maximum);
    total = group_reduce(scratch, total, 0);
    if (log_mode) {
        float shift = maximum + log(total);
        for (int l = lid; l < length; l += size) y[start + l * inner] = x[start + l * inner] - shift;
    } else {
        float scale = 1.0f / total;
        for (int l = lid; l < length; l += size) y[start + l * inner] = exp(x[start + l * inner] - maximum) * scale;
    }
}

// One work-group per row: gx = y * (g - sum(g * y)), or g - exp(y) * sum(g) in log mode.
__kernel void softmax_backward_rows(__global const float* y, __global const float* g, __global float* gx,
                                    int length, int inner, int log_mode, __local float* scratch) {
    int start = row_start(get_group_id(0), length, inner);
    int lid = get_local_id(0);
    int size = get_local_size(0);
    float dot = 0.0f;
    for (int l = lid; l < length; l += size) {
        int i = start + l * inner;
        dot += log_mode ? g[i] : g[i] * y[i];
    }
    dot = group_reduce(scratch, dot, 0);
    for (int l = lid; l < length; l += size) {
        int i = start + l * inner;
        gx[i] = log_mode ? g[i] - exp(y[i]) * dot : y[i] * (g[i] - dot);
    }
}

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

// Neumaier's compensated addition: (*sum + *low) gains v, *low keeps the rounding error.
void add_compensated(float* sum, float* low, float v) {
    float next = *sum + v;
    *low += fabs(*sum) >= fabs(v) ? (*sum - next) + v : (v - next) + *sum;
    *sum = next;
}

// A partial result: for sums `value + low`; for maxima the first maximum `value` at `index`
// (-1 when no value was seen).
typedef struct {
    float value;
    float low;
    int index;
} Partial;

Partial empty_partial(int op) {
    Partial p = {is_sum(op) ? 0.0f : -INFINITY, 0.0f, -1};
    return p;
}

// Adds `later` (whose positions all come after `p`'s when they are maxima of one row) to `p`.
// Ties between maxima keep the smaller position.
Partial merge(int op, Partial p, Partial later) {
    if (is_sum(op)) {
        add_compensated(&p.value, &p.low, later.value);
        p.low += later.low;
    } else if (later.index >= 0 &&
               (p.index < 0 || later.value > p.value || (later.value == p.value && later.index < p.index))) {
        p.value = later.value;
        p.index = later.index;
    }
    return p;
}

// Folds x[start + l * inner] for l = first, first + step, ... below `length`.
Partial fold_row(__global const float* x, int start, int inner, int length, int first, int step, int op) {
    Partial p = empty_partial(op);
    for (int l = first; l < length; l += step) {
        float v = x[start + l * inner];
        if (is_sum(op)) {
            add_compensated(&p.value, &p.low, v);
        } else if (p.index < 0 || v > p.value) {
            p.value = v;
            p.index = l;
        }
    }
    return p;
}

// Combines the partials the work-items pass in and returns the group's result to item 0.
Partial group_combine(int op, Partial mine, __local float* values, __local float* lows, __local int* indices) {
    int lid = get_local_id(0);
    values[lid] = mine.value;
    lows[lid] = mine.low;
    indices[lid] = mine.index;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int width = get_local_size(0) / 2; width > 0; width >>= 1) {
        if (lid < width) {
            Partial a = {values[lid], lows[lid], indices[lid]};
            Partial b = {values[lid + width], lows[lid + width], indices[lid + width]};
            Partial c = merge(op, a, b);
            values[lid] = c.value;
            lows[lid] = c.low;
            indices[lid] = c.index;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    Partial result = {values[0], lows[0], indices[0]};
    return result;
}

float finish(int op, Partial p, float scale) {
    if (op == REDUCE_ARGMAX) return (float)max(p.index, 0);
    if (op == REDUCE_MAX) return p.value;
    return op == REDUCE_MEAN ? (p.value + p.low) * scale : p.value + p.low;
}

// Pass 1: `parts` work-groups per row. With one part the result goes to out[row]; otherwise
// group g stores its value at out[g] and, at out[groups + g], its sum's low part or the bits
// of its maximum's position.
__kernel void reduce_rows(__global const float* x, __global float* out, int length, int inner, int parts,
                          int groups, int op, float scale,
                          __local float* values, __local float* lows, __local int* indices) {
    int group = get_group_id(0);
    int size = get_local_size(0);
    int row = group / parts;
    int part = group - row * parts;
    Partial mine = fold_row(x, row_start(row, length, inner), inner, length,
                            part * size + get_local_id(0), parts * size, op);
    Partial result = group_combine(op, mine, values, lows, indices);
    if (get_local_id(0) == 0) {
        if (parts == 1) {
            out[row] = finish(op, result, scale);
        } else {
            out[group] = result.value;
            out[groups + group] = is_sum(op) ? result.low : as_float(result.index);
        }
    }
}

// Pass 2: one work-group per row combines the `parts` partial results of reduce_rows.
__kernel void reduce_partials(__global const float* partials, __global float* out, int parts, int groups,
                              int op, float scale,
                              __local float* values, __local float* lows, __local int* indices) {
    int row = get_group_id(0);
    Partial mine = empty_partial(op);
    for (int p = get_local_id(0); p < parts; p += get_local_size(0)) {
        int slot = row * parts + p;
        float second = partials[groups + slot];
        Partial next = {partials[slot], is_sum(op) ? second : 0.0f, is_sum(op) ? 0 : as_int(second)};
        mine = merge(op, mine, next);
    }
    Partial result = group_combine(op, mine, values, lows, indices);
    if (get_local_id(0) == 0) out[row] = finish(op, result, scale);
}

// Many rows whose values lie `inner` apart: one work-item per row, so neighbouring items read
// neighbouring addresses.
__kernel void reduce_columns(__global const float* x, __global float* out, int rows, int length, int inner,
                             int op, float scale) {
    int row = get_global_id(0);
    if (row >= rows) return;
    out[row] = finish(op, fold_row(x, row_start(row, length, inner), inner, length, 0, 1, op), scale);
}

// The maximum (or the sum) of `v` over the work-group, returned to every item.
float group_reduce(__local float* scratch, float v, int take_max) {
    int lid = get_local_id(0);
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int width = get_local_size(0) / 2; width > 0; width >>= 1) {
        if (lid < width) {
            scratch[lid] = take_max ? fmax(scratch[lid], scratch[lid + width]) : scratch[lid] + scratch[lid + width];
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
        float log_total = log(total);
        for (int l = lid; l < length; l += size) y[start + l * inner] = (x[start + l * inner] - maximum) - log_total;
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

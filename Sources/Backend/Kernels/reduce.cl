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

// Adds `later` to `p`; of equal maxima, the one at the smaller position wins.
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

// Folds x[start + l * inner] for l = first, first + step, ... below `end`.
Partial fold_row(__global const float* x, int start, int inner, int first, int end, int step, int op) {
    Partial p = empty_partial(op);
    if (is_sum(op)) {
        float sum = 0.0f;
        float low = 0.0f;
        for (int l = first; l < end; l += step) add_compensated(&sum, &low, x[start + l * inner]);
        p.value = sum;
        p.low = low;
    } else {
        for (int l = first; l < end; l += step) {
            float v = x[start + l * inner];
            if (p.index < 0 || v > p.value) {
                p.value = v;
                p.index = l;
            }
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
// of its maximum's position. With `chunked`, each work-item reads a contiguous stretch of the
// row (what CPUs want); otherwise neighbouring items read neighbouring values (what GPUs want).
__kernel void reduce_rows(__global const float* x, __global float* out, int length, int inner, int parts,
                          int groups, int op, float scale, int chunked,
                          __local float* values, __local float* lows, __local int* indices) {
    int group = get_group_id(0);
    int row = group / parts;
    int part = group - row * parts;
    int items = parts * get_local_size(0);
    int item = part * get_local_size(0) + get_local_id(0);
    int per_item = chunked ? (length + items - 1) / items : 1;
    int first = item * per_item;
    Partial mine = fold_row(x, row_start(row, length, inner), inner, first,
                            chunked ? min(length, first + per_item) : length, chunked ? 1 : items, op);
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

// One work-item per row: for many rows, on CPUs, or on GPUs when the rows are strided (then
// neighbouring items read neighbouring addresses).
__kernel void reduce_row_per_item(__global const float* x, __global float* out, int rows, int length, int inner,
                                  int op, float scale) {
    int row = get_global_id(0);
    if (row < rows) out[row] = finish(op, fold_row(x, row_start(row, length, inner), inner, 0, length, 1, op), scale);
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

// Softmax and its gradient run `lanes` work-items per row: the whole work-group, combining
// through local memory, or a single item owning its row (lanes = 1, no local memory used).
// Items past the last row do no work but still reach every barrier.

// y = exp(x - max) / sum, or (x - max) - log(sum) in log mode.
__kernel void softmax_rows(__global const float* x, __global float* y, int rows, int length, int inner, int lanes,
                           int log_mode, __local float* scratch) {
    int row = get_global_id(0) / lanes;
    int lane = get_global_id(0) % lanes;
    int end = row < rows ? length : 0;
    int start = row < rows ? row_start(row, length, inner) : 0;
    float maximum = -INFINITY;
    for (int l = lane; l < end; l += lanes) maximum = fmax(maximum, x[start + l * inner]);
    if (lanes > 1) maximum = group_reduce(scratch, maximum, 1);
    float total = 0.0f;
    for (int l = lane; l < end; l += lanes) total += exp(x[start + l * inner] - maximum);
    if (lanes > 1) total = group_reduce(scratch, total, 0);
    if (log_mode) {
        float log_total = log(total);
        for (int l = lane; l < end; l += lanes) y[start + l * inner] = (x[start + l * inner] - maximum) - log_total;
    } else {
        float scale = 1.0f / total;
        for (int l = lane; l < end; l += lanes) y[start + l * inner] = exp(x[start + l * inner] - maximum) * scale;
    }
}

// gx = y * (g - sum(g * y)), or g - exp(y) * sum(g) in log mode.
__kernel void softmax_backward_rows(__global const float* y, __global const float* g, __global float* gx,
                                    int rows, int length, int inner, int lanes, int log_mode,
                                    __local float* scratch) {
    int row = get_global_id(0) / lanes;
    int lane = get_global_id(0) % lanes;
    int end = row < rows ? length : 0;
    int start = row < rows ? row_start(row, length, inner) : 0;
    float dot = 0.0f;
    for (int l = lane; l < end; l += lanes) {
        int i = start + l * inner;
        dot += log_mode ? g[i] : g[i] * y[i];
    }
    if (lanes > 1) dot = group_reduce(scratch, dot, 0);
    for (int l = lane; l < end; l += lanes) {
        int i = start + l * inner;
        gx[i] = log_mode ? g[i] - exp(y[i]) * dot : y[i] * (g[i] - dot);
    }
}

// Embedding lookups and their gradient (a scatter-add without atomics).

// The row of `id`, or -1 when it is not a whole number in [0, vocabulary).
inline int embedding_row(float id, int vocabulary) {
    if (!(id >= 0.0f) || id >= (float)vocabulary || trunc(id) != id) return -1;
    return (int)id;
}

// One item per output value: (column d, token n).
__kernel void embedding_forward(__global const float* table, __global const float* ids, __global float* output,
                                int tokens, int vocabulary, int dimension) {
    int d = get_global_id(0), n = get_global_id(1);
    if (d >= dimension || n >= tokens) return;
    int row = embedding_row(ids[n], vocabulary);
    output[n * dimension + d] = row < 0 ? 0.0f : table[row * dimension + d];
}

// One item per table row: it scans the ids in token order and adds the gradient rows of the
// tokens that name it, so every row's sum is the same on every device and run. The padding
// row (padding >= 0) gets nothing.
__kernel void embedding_backward(__global const float* grad_output, __global const float* ids, __global float* grad_table,
                                 int tokens, int vocabulary, int dimension, int padding, int accumulate) {
    int v = get_global_id(0);
    if (v >= vocabulary) return;
    __global float* target = grad_table + v * dimension;
    if (!accumulate) {
        for (int d = 0; d < dimension; ++d) target[d] = 0.0f;
    }
    if (v == padding) return;
    for (int n = 0; n < tokens; ++n) {
        if (embedding_row(ids[n], vocabulary) != v) continue;
        __global const float* source = grad_output + n * dimension;
        for (int d = 0; d < dimension; ++d) target[d] += source[d];
    }
}

// The same sums for CPU devices: one item per column scans the tokens once in order (work
// tokens × dimension instead of vocabulary × tokens), adding into its own column of each row.
__kernel void embedding_backward_columns(__global const float* grad_output, __global const float* ids, __global float* grad_table,
                                         int tokens, int vocabulary, int dimension, int padding, int accumulate) {
    int d = get_global_id(0);
    if (d >= dimension) return;
    if (!accumulate) {
        for (int v = 0; v < vocabulary; ++v) grad_table[v * dimension + d] = 0.0f;
    }
    for (int n = 0; n < tokens; ++n) {
        int row = embedding_row(ids[n], vocabulary);
        if (row < 0 || row == padding) continue;
        grad_table[row * dimension + d] += grad_output[n * dimension + d];
    }
}

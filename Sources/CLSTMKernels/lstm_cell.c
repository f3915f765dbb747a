// The LSTM cell's row loops (see CLSTMKernels.h), eight hidden units per vector. Each is written
// once as an always-inline body and built twice: plainly, and on x86-64 inside a function with
// the AVX2 and FMA target attribute (no compiler flag), where the same vector code runs in
// 256-bit registers and its multiply-adds fuse.
#include "CLSTMKernels.h"
#include "vector_math.h"

/// The forward cell for `lanes` units from `j` of one row (pointers at the row's start).
INLINE void cell_units(
    const float *gate, const float *added, const float *before, float *out, float *state, float *output, ptrdiff_t hidden,
    ptrdiff_t j, ptrdiff_t lanes) {
    v8 z[4];
    for (int k = 0; k < 4; k++) {
        z[k] = load(gate + k * hidden + j, lanes);
        if (added) z[k] += load(added + k * hidden + j, lanes);
    }
    v8 i = vector_sigmoid(z[0]), f = vector_sigmoid(z[1]), g = vector_tanh(z[2]), o = vector_sigmoid(z[3]);
    v8 previous = before ? load(before + j, lanes) : (v8){};
    v8 next = f * previous + i * g;
    store(out + j, i, lanes);
    store(out + hidden + j, f, lanes);
    store(out + 2 * hidden + j, g, lanes);
    store(out + 3 * hidden + j, o, lanes);
    store(state + j, next, lanes);
    store(output + j, o * vector_tanh(next), lanes);
}

INLINE void cell_rows(
    const float *gates, ptrdiff_t gate_stride, const float *addend, ptrdiff_t addend_stride, const float *previous,
    ptrdiff_t previous_stride, float *activated, float *cell, float *output, ptrdiff_t hidden, ptrdiff_t row_start,
    ptrdiff_t row_end, ptrdiff_t unit_start, ptrdiff_t unit_end) {
    for (ptrdiff_t b = row_start; b < row_end; b++) {
        const float *gate = gates + b * gate_stride, *added = addend ? addend + b * addend_stride : NULL;
        const float *before = previous ? previous + b * previous_stride : NULL;
        float *out = activated + b * 4 * hidden, *state = cell + b * hidden, *row_output = output + b * hidden;
        if (addend && b + 1 < row_end) {
            // The next row's projections, while this row's cell runs.
            for (int k = 0; k < 4; k++) prefetch(added + addend_stride + k * hidden + unit_start, unit_end - unit_start, 0);
        }
        ptrdiff_t j = unit_start;
        for (; j + 8 <= unit_end; j += 8) cell_units(gate, added, before, out, state, row_output, hidden, j, 8);
        if (j < unit_end) cell_units(gate, added, before, out, state, row_output, hidden, j, unit_end - j);
    }
}

/// The backward cell for `lanes` units from `j` of one row (pointers at the row's start).
INLINE void cell_backward_units(
    const float *gate, const float *before, const float *state, const float *grad_output_row, const float *grad_state_row,
    float *grad, float *grad_before_row, ptrdiff_t hidden, ptrdiff_t j, ptrdiff_t lanes) {
    v8 i = load(gate + j, lanes), f = load(gate + hidden + j, lanes);
    v8 g = load(gate + 2 * hidden + j, lanes), o = load(gate + 3 * hidden + j, lanes);
    v8 squashed = vector_tanh(load(state + j, lanes));
    v8 grad_output = grad_output_row ? load(grad_output_row + j, lanes) : (v8){};
    v8 grad_state = (grad_state_row ? load(grad_state_row + j, lanes) : (v8){}) + grad_output * o * (1.0f - squashed * squashed);
    v8 previous = before ? load(before + j, lanes) : (v8){};
    store(grad + j, grad_state * g * i * (1.0f - i), lanes);
    store(grad + hidden + j, grad_state * previous * f * (1.0f - f), lanes);
    store(grad + 2 * hidden + j, grad_state * i * (1.0f - g * g), lanes);
    store(grad + 3 * hidden + j, grad_output * squashed * o * (1.0f - o), lanes);
    if (grad_before_row) store(grad_before_row + j, grad_state * f, lanes);
}

INLINE void cell_backward_rows(
    const float *activated, const float *previous, ptrdiff_t previous_stride, const float *cell, const float *grad_hidden,
    const float *grad_cell, float *grad_gates, ptrdiff_t grad_gate_stride, float *grad_previous, ptrdiff_t hidden,
    ptrdiff_t row_start, ptrdiff_t row_end, ptrdiff_t unit_start, ptrdiff_t unit_end) {
    for (ptrdiff_t b = row_start; b < row_end; b++) {
        const float *gate = activated + b * 4 * hidden, *state = cell + b * hidden;
        const float *before = previous ? previous + b * previous_stride : NULL;
        const float *grad_output_row = grad_hidden ? grad_hidden + b * hidden : NULL;
        const float *grad_state_row = grad_cell ? grad_cell + b * hidden : NULL;
        float *grad = grad_gates + b * grad_gate_stride, *grad_before_row = grad_previous ? grad_previous + b * hidden : NULL;
        if (b + 1 < row_end) {
            // The next row's saved gates and the gate gradients it writes, while this row's runs.
            ptrdiff_t units = unit_end - unit_start;
            for (int k = 0; k < 4; k++) {
                prefetch(gate + 4 * hidden + k * hidden + unit_start, units, 0);
                prefetch(grad + grad_gate_stride + k * hidden + unit_start, units, 1);
            }
            prefetch(state + hidden + unit_start, units, 0);
        }
        ptrdiff_t j = unit_start;
        for (; j + 8 <= unit_end; j += 8) {
            cell_backward_units(gate, before, state, grad_output_row, grad_state_row, grad, grad_before_row, hidden, j, 8);
        }
        if (j < unit_end) {
            cell_backward_units(
                gate, before, state, grad_output_row, grad_state_row, grad, grad_before_row, hidden, j, unit_end - j);
        }
    }
}

/// One of the vector functions over `count` floats.
INLINE void vector_function(int function, const float *x, float *y, ptrdiff_t count) {
    for (ptrdiff_t start = 0; start < count; start += 8) {
        ptrdiff_t lanes = count - start < 8 ? count - start : 8;
        v8 v = load(x + start, lanes);
        store(y + start, function == 0 ? vector_exp(v) : function == 1 ? vector_sigmoid(v) : vector_tanh(v), lanes);
    }
}

#if defined(__x86_64__)
#define AVX2 __attribute__((target("avx2,fma")))
AVX2 static void cell_rows_avx2(
    const float *gates, ptrdiff_t gate_stride, const float *addend, ptrdiff_t addend_stride, const float *previous,
    ptrdiff_t previous_stride, float *activated, float *cell, float *output, ptrdiff_t hidden, ptrdiff_t row_start,
    ptrdiff_t row_end, ptrdiff_t unit_start, ptrdiff_t unit_end) {
    cell_rows(
        gates, gate_stride, addend, addend_stride, previous, previous_stride, activated, cell, output, hidden, row_start, row_end,
        unit_start, unit_end);
}
AVX2 static void cell_backward_rows_avx2(
    const float *activated, const float *previous, ptrdiff_t previous_stride, const float *cell, const float *grad_hidden,
    const float *grad_cell, float *grad_gates, ptrdiff_t grad_gate_stride, float *grad_previous, ptrdiff_t hidden,
    ptrdiff_t row_start, ptrdiff_t row_end, ptrdiff_t unit_start, ptrdiff_t unit_end) {
    cell_backward_rows(
        activated, previous, previous_stride, cell, grad_hidden, grad_cell, grad_gates, grad_gate_stride, grad_previous, hidden,
        row_start, row_end, unit_start, unit_end);
}
AVX2 static void vector_function_avx2(int function, const float *x, float *y, ptrdiff_t count) {
    vector_function(function, x, y, count);
}
#endif

void swifttune_lstm_cell_rows(
    const float *gates, ptrdiff_t gate_stride, const float *addend, ptrdiff_t addend_stride, const float *previous,
    ptrdiff_t previous_stride, float *activated, float *cell, float *output, ptrdiff_t hidden, ptrdiff_t row_start,
    ptrdiff_t row_end, ptrdiff_t unit_start, ptrdiff_t unit_end, int avx2) {
#if defined(__x86_64__)
    if (avx2) {
        cell_rows_avx2(
            gates, gate_stride, addend, addend_stride, previous, previous_stride, activated, cell, output, hidden, row_start,
            row_end, unit_start, unit_end);
        return;
    }
#endif
    (void)avx2;
    cell_rows(
        gates, gate_stride, addend, addend_stride, previous, previous_stride, activated, cell, output, hidden, row_start, row_end,
        unit_start, unit_end);
}

void swifttune_lstm_cell_backward_rows(
    const float *activated, const float *previous, ptrdiff_t previous_stride, const float *cell, const float *grad_hidden,
    const float *grad_cell, float *grad_gates, ptrdiff_t grad_gate_stride, float *grad_previous, ptrdiff_t hidden,
    ptrdiff_t row_start, ptrdiff_t row_end, ptrdiff_t unit_start, ptrdiff_t unit_end, int avx2) {
#if defined(__x86_64__)
    if (avx2) {
        cell_backward_rows_avx2(
            activated, previous, previous_stride, cell, grad_hidden, grad_cell, grad_gates, grad_gate_stride, grad_previous,
            hidden, row_start, row_end, unit_start, unit_end);
        return;
    }
#endif
    (void)avx2;
    cell_backward_rows(
        activated, previous, previous_stride, cell, grad_hidden, grad_cell, grad_gates, grad_gate_stride, grad_previous, hidden,
        row_start, row_end, unit_start, unit_end);
}

void swifttune_lstm_vector_function(int function, const float *x, float *y, ptrdiff_t count, int avx2) {
#if defined(__x86_64__)
    if (avx2) {
        vector_function_avx2(function, x, y, count);
        return;
    }
#endif
    (void)avx2;
    vector_function(function, x, y, count);
}

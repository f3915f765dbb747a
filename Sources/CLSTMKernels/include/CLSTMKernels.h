// The LSTM cell's elementwise loops (Backend/CPU/CPURecurrent.swift) and the vector exp, sigmoid
// and tanh they use, in C so that on x86-64 CPUs with AVX2 and FMA they run in 8-float AVX
// registers: Swift code without compiler flags gets 4-float SSE. Each function takes `avx2`:
// nonzero runs the AVX2 and FMA build of the same code (callers check that the CPU has both),
// zero the build for the target's baseline instruction set. Results agree with libm within a
// few ulp; the two builds differ only by the rounding of fused multiply-adds.
#ifndef SWIFTTUNE_CLSTMKERNELS_H
#define SWIFTTUNE_CLSTMKERNELS_H

#include <stddef.h>

/// The LSTM cell forward for batch rows `row_start..<row_end` and hidden units
/// `unit_start..<unit_end` (`hidden` units in all), gates in PyTorch's order i, f, g, o:
/// with `z` = row `b` of `gates` (at `gates + b * gate_stride`, `4 * hidden` wide) plus row `b` of
/// `addend` when not NULL, writes `σ(z_i), σ(z_f), tanh(z_g), σ(z_o)` to row `b` of `activated`
/// (`4 * hidden` apart; it may be `gates`), `c' = σ(z_f)·c + σ(z_i)·tanh(z_g)` to `cell` and
/// `σ(z_o)·tanh(c')` to `output` (both `hidden` apart), where `c` is row `b` of `previous`
/// (`previous_stride` apart, 0 for one row shared by all; NULL: zeros).
void swifttune_lstm_cell_rows(
    const float *gates, ptrdiff_t gate_stride, const float *addend, ptrdiff_t addend_stride, const float *previous,
    ptrdiff_t previous_stride, float *activated, float *cell, float *output, ptrdiff_t hidden, ptrdiff_t row_start,
    ptrdiff_t row_end, ptrdiff_t unit_start, ptrdiff_t unit_end, int avx2);

/// The LSTM cell backward for the same ranges: from the activated gates (`4 * hidden` apart),
/// `previous` (as above), the cell `cell` and the gradients of the output and the cell
/// (`grad_hidden`, `grad_cell`, `hidden` apart; NULL: zeros), writes the gradients of the four
/// gates' pre-activations to row `b` of `grad_gates` (at `grad_gates + b * grad_gate_stride`) and,
/// when not NULL, the gradient of the previous cell to `grad_previous` (`hidden` apart).
void swifttune_lstm_cell_backward_rows(
    const float *activated, const float *previous, ptrdiff_t previous_stride, const float *cell, const float *grad_hidden,
    const float *grad_cell, float *grad_gates, ptrdiff_t grad_gate_stride, float *grad_previous, ptrdiff_t hidden,
    ptrdiff_t row_start, ptrdiff_t row_end, ptrdiff_t unit_start, ptrdiff_t unit_end, int avx2);

/// `e^x`, `1 / (1 + e^-x)` or `tanh(x)` (`function` 0, 1 or 2) of `count` floats at `x`, into `y`:
/// the functions the cell uses, for checking them on their own.
void swifttune_lstm_vector_function(int function, const float *x, float *y, ptrdiff_t count, int avx2);

#endif

// The elementwise part of an LSTM step (gates in PyTorch's order i, f, g, o), forward and back.

inline float lstm_sigmoid(float x) { return 1.0f / (1.0f + exp(-x)); }

// One item per state value: (j, b). previous_rows: batch, 1 (shared row) or 0 (zeros).
__kernel void lstm_cell_forward(__global const float* gates, __global const float* previous, __global float* activated,
                                __global float* cell, __global float* hidden, int batch, int size, int previous_rows) {
    int j = get_global_id(0), b = get_global_id(1);
    if (j >= size || b >= batch) return;
    int row = b * 4 * size;
    float i = lstm_sigmoid(gates[row + j]), f = lstm_sigmoid(gates[row + size + j]);
    float g = tanh(gates[row + 2 * size + j]), o = lstm_sigmoid(gates[row + 3 * size + j]);
    float before = previous_rows == 0 ? 0.0f : previous[(previous_rows == 1 ? 0 : b) * size + j];
    float state = f * before + i * g;
    activated[row + j] = i;
    activated[row + size + j] = f;
    activated[row + 2 * size + j] = g;
    activated[row + 3 * size + j] = o;
    cell[b * size + j] = state;
    hidden[b * size + j] = o * tanh(state);
}

// has: bit 0 grad_hidden, bit 1 grad_cell, bit 2 grad_previous.
__kernel void lstm_cell_backward(__global const float* activated, __global const float* previous, __global const float* cell,
                                 __global const float* grad_hidden, __global const float* grad_cell, __global float* grad_gates,
                                 __global float* grad_previous, int batch, int size, int previous_rows, int has) {
    int j = get_global_id(0), b = get_global_id(1);
    if (j >= size || b >= batch) return;
    int row = b * 4 * size, k = b * size + j;
    float i = activated[row + j], f = activated[row + size + j], g = activated[row + 2 * size + j], o = activated[row + 3 * size + j];
    float before = previous_rows == 0 ? 0.0f : previous[(previous_rows == 1 ? 0 : b) * size + j];
    float squashed = tanh(cell[k]);
    float grad_output = (has & 1) ? grad_hidden[k] : 0.0f;
    float grad_state = ((has & 2) ? grad_cell[k] : 0.0f) + grad_output * o * (1.0f - squashed * squashed);
    grad_gates[row + j] = grad_state * g * i * (1.0f - i);
    grad_gates[row + size + j] = grad_state * before * f * (1.0f - f);
    grad_gates[row + 2 * size + j] = grad_state * i * (1.0f - g * g);
    grad_gates[row + 3 * size + j] = grad_output * squashed * o * (1.0f - o);
    if (has & 4) grad_previous[k] = grad_state * f;
}

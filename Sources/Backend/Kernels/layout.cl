// Layout ops: reordering a tensor's axes. OpenCL C 1.2, float only.
//
// permute: the output has `rank` merged dimensions `dims` (outermost first); output row `row`
// (counting the positions of all but the innermost dimension) and column `i` come from
// x[Σ position_d · strides[d]] (PermutePlan in Sources/Backend/Core/PermutePlan.swift).
__kernel void permute(__global const float* x, __global float* out, int rank, int row_length, int rows, int8 dims,
                      int8 strides) {
    int i = get_global_id(0);
    int row = get_global_id(1);
    if (i < row_length && row < rows) {
        int size[8] = {dims.s0, dims.s1, dims.s2, dims.s3, dims.s4, dims.s5, dims.s6, dims.s7};
        int step[8] = {strides.s0, strides.s1, strides.s2, strides.s3, strides.s4, strides.s5, strides.s6, strides.s7};
        int rest = row;
        int offset = i * step[rank - 1];
        for (int d = rank - 2; d >= 0; --d) {
            offset += (rest % size[d]) * step[d];
            rest /= size[d];
        }
        out[row * row_length + i] = x[offset];
    }
}

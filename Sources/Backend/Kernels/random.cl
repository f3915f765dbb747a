// Counter-based randomness: Philox-4x32-10, the same function as Core/Philox.swift.
// Element i of a fill uses word i % 4 of the block for counter (i / 4, 0, offset_lo, offset_hi)
// under the key (seed_lo, seed_hi); one work-item computes one block (four elements), so the
// values never depend on the work-group size.

// No fused multiply-adds: the CPU path rounds every product, and uniform values and dropout
// outputs must match it bit for bit.
#pragma OPENCL FP_CONTRACT OFF

uint4 philox4x32_10(uint4 x, uint2 key) {
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            key.x += 0x9E3779B9u;
            key.y += 0xBB67AE85u;
        }
        const uint hi0 = mul_hi(0xD2511F53u, x.x);
        const uint lo0 = 0xD2511F53u * x.x;
        const uint hi1 = mul_hi(0xCD9E8D57u, x.z);
        const uint lo1 = 0xCD9E8D57u * x.z;
        x = (uint4)(hi1 ^ x.y ^ key.x, lo1, hi0 ^ x.w ^ key.y, lo0);
    }
    return x;
}

// The block of a stream that holds elements 4 * block ... 4 * block + 3.
uint4 stream_block(uint block, uint seed_lo, uint seed_hi, uint offset_lo, uint offset_hi) {
    return philox4x32_10((uint4)(block, 0u, offset_lo, offset_hi), (uint2)(seed_lo, seed_hi));
}

// Top 24 bits as a float in [0, 1) (exact).
float unit_float(uint word) { return (float)(word >> 8) * 0x1p-24f; }

// Top 24 bits as a float in (0, 1].
float positive_unit_float(uint word) { return (float)((word >> 8) + 1u) * 0x1p-24f; }

float4 unit_floats(uint4 words) {
    return (float4)(unit_float(words.x), unit_float(words.y), unit_float(words.z), unit_float(words.w));
}

// Dropout's decision per lane: 1 where the draw is at least p, else 0.
float4 keep_lanes(uint4 words, float p) {
    const float4 u = unit_floats(words);
    return (float4)(u.x >= p ? 1.0f : 0.0f, u.y >= p ? 1.0f : 0.0f, u.z >= p ? 1.0f : 0.0f, u.w >= p ? 1.0f : 0.0f);
}

// Writes the first min(4, n - first) lanes of v to out[first...].
void store_lanes(__global float* out, int first, int n, float4 v) {
    out[first] = v.x;
    if (first + 1 < n) out[first + 1] = v.y;
    if (first + 2 < n) out[first + 2] = v.z;
    if (first + 3 < n) out[first + 3] = v.w;
}

float4 load_lanes(__global const float* in, int first, int n) {
    float4 v = (float4)(in[first], 0.0f, 0.0f, 0.0f);
    if (first + 1 < n) v.y = in[first + 1];
    if (first + 2 < n) v.z = in[first + 2];
    if (first + 3 < n) v.w = in[first + 3];
    return v;
}

// Raw words for known-answer tests: block j uses counter + j (carried through words 0 and 1).
__kernel void philox_words(__global uint* out, int blocks, uint k0, uint k1, uint c0, uint c1, uint c2, uint c3) {
    const int j = get_global_id(0);
    if (j >= blocks) return;
    const uint low = c0 + (uint)j;
    const uint carry = low < c0 ? 1u : 0u;
    vstore4(philox4x32_10((uint4)(low, c1 + carry, c2, c3), (uint2)(k0, k1)), j, out);
}

__kernel void uniform_fill(__global float* out, int n, uint s0, uint s1, uint o0, uint o1, float low, float width) {
    const int block = get_global_id(0);
    const int first = 4 * block;
    if (first >= n) return;
    const float4 u = unit_floats(stream_block((uint)block, s0, s1, o0, o1));
    store_lanes(out, first, n, low + width * u);
}

__kernel void normal_fill(__global float* out, int n, uint s0, uint s1, uint o0, uint o1, float mean, float deviation) {
    const int block = get_global_id(0);
    const int first = 4 * block;
    if (first >= n) return;
    const uint4 w = stream_block((uint)block, s0, s1, o0, o1);
    const float r0 = sqrt(-2.0f * log(positive_unit_float(w.x)));
    const float a0 = 2.0f * M_PI_F * unit_float(w.y);
    const float r1 = sqrt(-2.0f * log(positive_unit_float(w.z)));
    const float a1 = 2.0f * M_PI_F * unit_float(w.w);
    const float4 z = (float4)(r0 * cos(a0), r0 * sin(a0), r1 * cos(a1), r1 * sin(a1));
    store_lanes(out, first, n, mean + deviation * z);
}

// keep = 1 where the draw is at least p; out = x * keep * scale; mask (when has_mask) = keep.
__kernel void dropout_forward(
    __global const float* x, __global float* out, __global float* mask, int has_mask, int n,
    uint s0, uint s1, uint o0, uint o1, float p, float scale)
{
    const int block = get_global_id(0);
    const int first = 4 * block;
    if (first >= n) return;
    const float4 keep = keep_lanes(stream_block((uint)block, s0, s1, o0, o1), p);
    store_lanes(out, first, n, load_lanes(x, first, n) * keep * scale);
    if (has_mask) store_lanes(mask, first, n, keep);
}

__kernel void dropout_backward_mask(
    __global const float* grad_out, __global const float* mask, __global float* grad_in, int n, float scale)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    grad_in[i] = grad_out[i] * mask[i] * scale;
}

__kernel void dropout_backward_recompute(
    __global const float* grad_out, __global float* grad_in, int n,
    uint s0, uint s1, uint o0, uint o1, float p, float scale)
{
    const int block = get_global_id(0);
    const int first = 4 * block;
    if (first >= n) return;
    const float4 keep = keep_lanes(stream_block((uint)block, s0, s1, o0, o1), p);
    store_lanes(grad_in, first, n, load_lanes(grad_out, first, n) * keep * scale);
}

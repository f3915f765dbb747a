// exp, sigmoid and tanh on eight floats at once (GCC/Clang vector extensions), and the partial
// loads and stores of a row's last values. Included by the files that build them twice.
#ifndef SWIFTTUNE_LSTM_VECTOR_MATH_H
#define SWIFTTUNE_LSTM_VECTOR_MATH_H

#include <stddef.h>
#include <string.h>

typedef float v8 __attribute__((vector_size(32)));
typedef int v8i __attribute__((vector_size(32)));

#define INLINE static inline __attribute__((always_inline))

// Vectors pass by value only between always-inline functions, which leave no call behind, so
// the warning that their calling convention differs without AVX does not apply.
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wpsabi"
#endif

/// `a` where `mask` is set, else `b`.
INLINE v8 select(v8i mask, v8 a, v8 b) { return (v8)(((v8i)a & mask) | ((v8i)b & ~mask)); }

/// |x| (the sign bit cleared).
INLINE v8 absolute(v8 x) { return (v8)((v8i)x & 0x7fffffff); }

/// `e^x`: `x = n·ln 2 + r` with |r| ≤ ln 2 / 2, a degree-6 polynomial for `e^r` (Cephes'
/// coefficients, about 1 ulp), times 2ⁿ built in the exponent bits. Inputs are clamped to ±87,
/// so the result is finite and non-zero; NaN stays NaN.
INLINE v8 vector_exp(v8 x) {
    v8 clamped = select(x < -87.0f, (v8){} - 87.0f, x);
    clamped = select(clamped > 87.0f, (v8){} + 87.0f, clamped);
    // Adding 1.5·2²³ leaves n = round(x / ln 2) in the low mantissa bits.
    v8 shifted = clamped * 1.44269504f + 12582912.0f;
    v8 n = shifted - 12582912.0f;
    v8 r = clamped - n * 0.693359375f + n * 2.1219444e-4f;
    v8 p = (v8){} + 1.98756915e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    v8i exponent = ((v8i)shifted - 0x4B400000 + 127) << 23;
    return p * (v8)exponent;
}

/// `1 / (1 + e^-x)`, from `e^-|x|` (no overflow for large |x|).
INLINE v8 vector_sigmoid(v8 x) {
    v8 e = vector_exp(-absolute(x));
    v8 positive = 1.0f / (1.0f + e);
    return select(x < 0.0f, e * positive, positive);
}

/// `tanh(x)`: `(1 - e^-2|x|) / (1 + e^-2|x|)` with the sign of x, and its series below 0.25,
/// where that quotient would lose digits.
INLINE v8 vector_tanh(v8 x) {
    v8 a = absolute(x);
    v8 s = a * a;
    v8 series = (v8){} + 62.0f / 2835.0f;
    series = series * s + -17.0f / 315.0f;
    series = series * s + 2.0f / 15.0f;
    series = series * s + -1.0f / 3.0f;
    series = a + a * s * series;
    v8 e = vector_exp(a * -2.0f);
    v8 magnitude = select(a < 0.25f, series, (1.0f - e) / (1.0f + e));
    return select(x < 0.0f, -magnitude, magnitude);
}

/// The first `lanes` (1 to 8) floats at `p`, zeros after them.
INLINE v8 load(const float *p, ptrdiff_t lanes) {
    v8 v = {};
    memcpy(&v, p, (size_t)lanes * sizeof(float));
    return v;
}

/// Asks for the `count` floats from `p` to be brought into the cache before they are read, or
/// written when `write` (the rows an LSTM step reads from its projections and saved gates are
/// far apart, beyond what the hardware prefetcher follows).
INLINE void prefetch(const float *p, ptrdiff_t count, int write) {
    for (ptrdiff_t i = 0; i < count; i += 16) {
        if (write) {
            __builtin_prefetch(p + i, 1, 3);
        } else {
            __builtin_prefetch(p + i, 0, 3);
        }
    }
}

/// Writes the first `lanes` values of `v` at `p`.
INLINE void store(float *p, v8 v, ptrdiff_t lanes) { memcpy(p, &v, (size_t)lanes * sizeof(float)); }

#endif

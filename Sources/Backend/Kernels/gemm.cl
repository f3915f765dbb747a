// SwiftTune's own GEMM: C = alpha * op(A) * op(B) + beta * C, row-major, strided batch.
//
// gemm_pack copies op(A) and op(B) (or one of them) into panels in one launch, applying the
// transposes and padding the edges with zeros; gemm_tiles_<A><B> then gives each work-item one
// TILE_M x TILE_N block of C and runs it over the whole of K with the block in registers,
// reading each operand from its panels or, where the layout allows, straight from the matrix.
//
// Packed A, panel q of batch b: for each p in 0..<k, the TILE_M values op(A)[q*TILE_M + r, p].
// Packed B, panel t of batch b: for each p in 0..<k, the TILE_N values op(B)[p, t*TILE_N + c].
// Both panels are read front to back with unit stride, so each step of the inner loop is one
// float8 load per eight columns, one broadcast per row and TILE_M * TILE_N / 8 vector FMAs, with
// no bound checks: in a partial tile the padded rows and columns add zeros, and only the part
// inside C is stored.
//
// 6 x 16 fills the 16 AVX2 registers of a CPU (12 accumulators, two B vectors, one broadcast)
// and is what PoCL runs fastest; a GPU runs it correctly but CLBlast is its default.
// OpenCLGemmKernel.swift holds the same two numbers.
#define TILE_M 6
#define TILE_N 16
#define VECTORS_N (TILE_N / 8)

// Column p of panel q of op(A) (m x k) into packed A.
inline void pack_a_panel(__global const float* a, int lda, int transposeA, int m, int k, int strideA, int mPanels,
                         __global float* packed, int p, int q, int batch) {
    __global const float* source = a + (size_t)batch * strideA;
    __global float* target = packed + (((size_t)batch * mPanels + q) * k + p) * TILE_M;
    const int i0 = q * TILE_M;
    if (i0 + TILE_M <= m) {
        if (transposeA) {
            #pragma unroll
            for (int r = 0; r < TILE_M; r++) target[r] = source[(size_t)p * lda + i0 + r];
        } else {
            #pragma unroll
            for (int r = 0; r < TILE_M; r++) target[r] = source[(size_t)(i0 + r) * lda + p];
        }
    } else {
        for (int r = 0; r < TILE_M; r++) {
            const int i = i0 + r;
            float value = 0.0f;
            if (i < m) value = transposeA ? source[(size_t)p * lda + i] : source[(size_t)i * lda + p];
            target[r] = value;
        }
    }
}

// Row p of panel t of op(B) (k x n) into packed B.
inline void pack_b_panel(__global const float* b, int ldb, int transposeB, int n, int k, int strideB, int nPanels,
                         __global float* packed, int p, int t, int batch) {
    __global const float* source = b + (size_t)batch * strideB;
    __global float* target = packed + (((size_t)batch * nPanels + t) * k + p) * TILE_N;
    const int j0 = t * TILE_N;
    if (j0 + TILE_N <= n) {
        if (transposeB) {
            #pragma unroll
            for (int c = 0; c < TILE_N; c++) target[c] = source[(size_t)(j0 + c) * ldb + p];
        } else {
            #pragma unroll
            for (int v = 0; v < VECTORS_N; v++) vstore8(vload8(0, source + (size_t)p * ldb + j0 + 8 * v), v, target);
        }
    } else {
        for (int c = 0; c < TILE_N; c++) {
            const int j = j0 + c;
            float value = 0.0f;
            if (j < n) value = transposeB ? source[(size_t)j * ldb + p] : source[(size_t)p * ldb + j];
            target[c] = value;
        }
    }
}

// op(A) into panels of TILE_M rows and op(B) into panels of TILE_N columns, for every batch.
// Global size: (k, mPanels + nPanels, batch); the first mPanels rows of items pack A, the rest B
// (mPanels or nPanels 0 packs one operand only).
__kernel void gemm_pack(__global const float* a, int lda, int transposeA, int m, int strideA, int mPanels,
                        __global float* packedA, __global const float* b, int ldb, int transposeB, int n,
                        int strideB, int nPanels, __global float* packedB, int k) {
    const int p = get_global_id(0);
    const int panel = get_global_id(1);
    const int batch = get_global_id(2);
    if (p >= k) return;
    if (panel < mPanels) {
        pack_a_panel(a, lda, transposeA, m, k, strideA, mPanels, packedA, p, panel, batch);
    } else if (panel < mPanels + nPanels) {
        pack_b_panel(b, ldb, transposeB, n, k, strideB, nPanels, packedB, p, panel - mPanels, batch);
    }
}

// gemm_tiles_<A><B>: one TILE_M x TILE_N block of C per work-item, over the whole of K with the
// block in registers. Global size: (mPanels, nPanels, batch). C is read only when beta != 0, so
// an uninitialized (even NaN) C is fine with beta == 0.
//
// Each operand is read from panels that gemm_pack wrote (p), or straight from the matrix when
// its layout lets every step of the inner loop read few cache lines:
//   A: p (packed), r (op(A) = A, TILE_M rows read side by side), c (op(A) = Aᵀ: TILE_M
//      neighbouring values of one row of A per step). Rows past m read row m − 1 and are not stored.
//   B: p (packed), r (op(B) = B with n a multiple of TILE_N: two float8 of one row per step).
// Reading straight saves gemm_pack's pass over that operand.
#define A_SETUP_p \
    __global const float* aPanel = a + ((size_t)batch * mPanels + q) * k * TILE_M;
#define A_STEP_p(p)
#define A_VALUE_p(p, r) aPanel[(size_t)(p) * TILE_M + (r)]
#define A_SETUP_r \
    __global const float* aRows[TILE_M]; \
    _Pragma("unroll") for (int r = 0; r < TILE_M; r++) \
        aRows[r] = a + (size_t)batch * strideA + (size_t)min(q * TILE_M + r, m - 1) * lda;
#define A_STEP_r(p)
#define A_VALUE_r(p, r) aRows[r][p]
#define A_SETUP_c \
    __global const float* aBase = a + (size_t)batch * strideA; \
    int aColumns[TILE_M]; \
    _Pragma("unroll") for (int r = 0; r < TILE_M; r++) aColumns[r] = min(q * TILE_M + r, m - 1);
#define A_STEP_c(p) __global const float* aRow = aBase + (size_t)(p) * lda;
#define A_VALUE_c(p, r) aRow[aColumns[r]]
#define B_SETUP_p \
    __global const float* bPanel = b + ((size_t)batch * nPanels + t) * k * TILE_N;
#define B_ROW_p(p, v) vload8(v, bPanel + (size_t)(p) * TILE_N)
#define B_SETUP_r \
    __global const float* bColumns = b + (size_t)batch * strideB + t * TILE_N;
#define B_ROW_r(p, v) vload8(v, bColumns + (size_t)(p) * ldb)

#define DEFINE_GEMM_TILES(A, B) \
__kernel void gemm_tiles_##A##B(int m, int n, int k, float alpha, float beta, \
                               __global const float* a, int lda, int strideA, __global const float* b, int ldb, \
                               int strideB, __global float* c, int ldc, int strideC, int mPanels, int nPanels) { \
    const int q = get_global_id(0); \
    const int t = get_global_id(1); \
    const int batch = get_global_id(2); \
    if (q >= mPanels || t >= nPanels) return; \
    A_SETUP_##A \
    B_SETUP_##B \
    float8 sums[TILE_M][VECTORS_N]; \
    _Pragma("unroll") for (int r = 0; r < TILE_M; r++) { \
        _Pragma("unroll") for (int v = 0; v < VECTORS_N; v++) sums[r][v] = (float8)(0.0f); \
    } \
    for (int p = 0; p < k; p++) { \
        float8 bRow[VECTORS_N]; \
        _Pragma("unroll") for (int v = 0; v < VECTORS_N; v++) bRow[v] = B_ROW_##B(p, v); \
        A_STEP_##A(p) \
        _Pragma("unroll") for (int r = 0; r < TILE_M; r++) { \
            const float8 aValue = (float8)(A_VALUE_##A(p, r)); \
            _Pragma("unroll") for (int v = 0; v < VECTORS_N; v++) sums[r][v] = fma(aValue, bRow[v], sums[r][v]); \
        } \
    } \
    store_tile(sums, c + (size_t)batch * strideC, ldc, m, n, q, t, alpha, beta); \
}

// Writes a block of sums to C: alpha * sums (+ beta * C), only the part inside m x n.
__attribute__((always_inline)) inline void store_tile(float8 sums[TILE_M][VECTORS_N], __global float* c, int ldc, int m, int n, int q, int t,
                       float alpha, float beta) {
    const int j0 = t * TILE_N;
    #pragma unroll
    for (int r = 0; r < TILE_M; r++) {
        const int i = q * TILE_M + r;
        if (i < m) {
            __global float* row = c + (size_t)i * ldc;
            #pragma unroll
            for (int v = 0; v < VECTORS_N; v++) {
                const int j = j0 + 8 * v;
                if (j + 8 <= n) {
                    float8 result = alpha * sums[r][v];
                    if (beta != 0.0f) result = fma((float8)(beta), vload8(0, row + j), result);
                    vstore8(result, 0, row + j);
                } else {
                    float lanes[8];
                    vstore8(sums[r][v], 0, lanes);
                    for (int e = 0; e < 8 && j + e < n; e++) {
                        float result = alpha * lanes[e];
                        if (beta != 0.0f) result = fma(beta, row[j + e], result);
                        row[j + e] = result;
                    }
                }
            }
        }
    }
}

DEFINE_GEMM_TILES(p, p)
DEFINE_GEMM_TILES(r, p)
DEFINE_GEMM_TILES(c, p)
DEFINE_GEMM_TILES(p, r)
DEFINE_GEMM_TILES(r, r)
DEFINE_GEMM_TILES(c, r)

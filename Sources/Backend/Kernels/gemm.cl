// SwiftTune's own GEMM: C = alpha * op(A) * op(B) + beta * C, row-major, strided batch.
//
// Two kernels. gemm_pack copies op(A) and op(B) into panels in one launch, applying the
// transposes and padding the edges with zeros; gemm_tiles then gives each work-item one
// TILE_M x TILE_N block of C and runs it over the whole of K with the block in registers.
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
// Global size: (k, mPanels + nPanels, batch); the first mPanels rows of items pack A, the rest B.
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

// One TILE_M x TILE_N block of C per work-item. Global size: (mPanels, nPanels, batch).
// C is read only when beta != 0, so an uninitialized (even NaN) C is fine with beta == 0.
__kernel void gemm_tiles(int m, int n, int k, float alpha, float beta,
                         __global const float* packedA, __global const float* packedB,
                         __global float* c, int ldc, int strideC, int mPanels, int nPanels) {
    const int q = get_global_id(0);
    const int t = get_global_id(1);
    const int batch = get_global_id(2);
    if (q >= mPanels || t >= nPanels) return;
    __global const float* aPanel = packedA + ((size_t)batch * mPanels + q) * k * TILE_M;
    __global const float* bPanel = packedB + ((size_t)batch * nPanels + t) * k * TILE_N;

    float8 sums[TILE_M][VECTORS_N];
    #pragma unroll
    for (int r = 0; r < TILE_M; r++) {
        #pragma unroll
        for (int v = 0; v < VECTORS_N; v++) sums[r][v] = (float8)(0.0f);
    }
    for (int p = 0; p < k; p++) {
        float8 bRow[VECTORS_N];
        #pragma unroll
        for (int v = 0; v < VECTORS_N; v++) bRow[v] = vload8(v, bPanel + (size_t)p * TILE_N);
        #pragma unroll
        for (int r = 0; r < TILE_M; r++) {
            const float8 aValue = (float8)(aPanel[(size_t)p * TILE_M + r]);
            #pragma unroll
            for (int v = 0; v < VECTORS_N; v++) sums[r][v] = fma(aValue, bRow[v], sums[r][v]);
        }
    }

    __global float* cBatch = c + (size_t)batch * strideC;
    const int j0 = t * TILE_N;
    #pragma unroll
    for (int r = 0; r < TILE_M; r++) {
        const int i = q * TILE_M + r;
        if (i < m) {
            __global float* row = cBatch + (size_t)i * ldc;
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

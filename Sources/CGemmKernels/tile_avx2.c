// The register tile on x86-64: twelve AVX registers (ymm4–ymm15) hold the 6 × 16 tile of C
// across the whole depth, with one broadcast of A and two fused multiply-adds per row and step.
// It is assembly: that needs no compiler flag for AVX2 and FMA (a Swift package that passes
// code-generation flags cannot be used as a dependency by version), and it keeps the tile in
// registers in unoptimized builds too. Callers check that the CPU has AVX2 and FMA.
#include "tile.h"

#if defined(__x86_64__)

/// Writes `alpha * (A panel · B panel)`, plus `beta * out` when `read_out`, to six rows of 16
/// floats at `out` (row 3 at `out3`, rows `stride` bytes apart; unaligned).
static void multiply_into(
    ptrdiff_t depth, const float *a, const float *b, float *out, float *out3, ptrdiff_t stride,
    float alpha, float beta, int read_out)
{
    __asm__ volatile(
        "vxorps %%ymm4, %%ymm4, %%ymm4\n\t"
        "vxorps %%ymm5, %%ymm5, %%ymm5\n\t"
        "vxorps %%ymm6, %%ymm6, %%ymm6\n\t"
        "vxorps %%ymm7, %%ymm7, %%ymm7\n\t"
        "vxorps %%ymm8, %%ymm8, %%ymm8\n\t"
        "vxorps %%ymm9, %%ymm9, %%ymm9\n\t"
        "vxorps %%ymm10, %%ymm10, %%ymm10\n\t"
        "vxorps %%ymm11, %%ymm11, %%ymm11\n\t"
        "vxorps %%ymm12, %%ymm12, %%ymm12\n\t"
        "vxorps %%ymm13, %%ymm13, %%ymm13\n\t"
        "vxorps %%ymm14, %%ymm14, %%ymm14\n\t"
        "vxorps %%ymm15, %%ymm15, %%ymm15\n\t"
        "test %[depth], %[depth]\n\t"
        "jle 2f\n"
        // One step: B's 16 floats in ymm0 and ymm1; each of A's 6 floats broadcast (ymm2 and
        // ymm3 in turn) and multiplied into its row's two registers.
        "1:\n\t"
        "vmovups (%[b]), %%ymm0\n\t"
        "vmovups 32(%[b]), %%ymm1\n\t"
        "vbroadcastss (%[a]), %%ymm2\n\t"
        "vfmadd231ps %%ymm0, %%ymm2, %%ymm4\n\t"
        "vfmadd231ps %%ymm1, %%ymm2, %%ymm5\n\t"
        "vbroadcastss 4(%[a]), %%ymm3\n\t"
        "vfmadd231ps %%ymm0, %%ymm3, %%ymm6\n\t"
        "vfmadd231ps %%ymm1, %%ymm3, %%ymm7\n\t"
        "vbroadcastss 8(%[a]), %%ymm2\n\t"
        "vfmadd231ps %%ymm0, %%ymm2, %%ymm8\n\t"
        "vfmadd231ps %%ymm1, %%ymm2, %%ymm9\n\t"
        "vbroadcastss 12(%[a]), %%ymm3\n\t"
        "vfmadd231ps %%ymm0, %%ymm3, %%ymm10\n\t"
        "vfmadd231ps %%ymm1, %%ymm3, %%ymm11\n\t"
        "vbroadcastss 16(%[a]), %%ymm2\n\t"
        "vfmadd231ps %%ymm0, %%ymm2, %%ymm12\n\t"
        "vfmadd231ps %%ymm1, %%ymm2, %%ymm13\n\t"
        "vbroadcastss 20(%[a]), %%ymm3\n\t"
        "vfmadd231ps %%ymm0, %%ymm3, %%ymm14\n\t"
        "vfmadd231ps %%ymm1, %%ymm3, %%ymm15\n\t"
        "add $24, %[a]\n\t"
        "add $64, %[b]\n\t"
        "dec %[depth]\n\t"
        "jnz 1b\n"
        // The tile times alpha.
        "2:\n\t"
        "vbroadcastss %[alpha], %%ymm0\n\t"
        "vmulps %%ymm0, %%ymm4, %%ymm4\n\t"
        "vmulps %%ymm0, %%ymm5, %%ymm5\n\t"
        "vmulps %%ymm0, %%ymm6, %%ymm6\n\t"
        "vmulps %%ymm0, %%ymm7, %%ymm7\n\t"
        "vmulps %%ymm0, %%ymm8, %%ymm8\n\t"
        "vmulps %%ymm0, %%ymm9, %%ymm9\n\t"
        "vmulps %%ymm0, %%ymm10, %%ymm10\n\t"
        "vmulps %%ymm0, %%ymm11, %%ymm11\n\t"
        "vmulps %%ymm0, %%ymm12, %%ymm12\n\t"
        "vmulps %%ymm0, %%ymm13, %%ymm13\n\t"
        "vmulps %%ymm0, %%ymm14, %%ymm14\n\t"
        "vmulps %%ymm0, %%ymm15, %%ymm15\n\t"
        "test %[read_out], %[read_out]\n\t"
        "jz 3f\n\t"
        // Plus beta times what the rows hold.
        "vbroadcastss %[beta], %%ymm1\n\t"
        "vfmadd231ps (%[out]), %%ymm1, %%ymm4\n\t"
        "vfmadd231ps 32(%[out]), %%ymm1, %%ymm5\n\t"
        "vfmadd231ps (%[out], %[stride]), %%ymm1, %%ymm6\n\t"
        "vfmadd231ps 32(%[out], %[stride]), %%ymm1, %%ymm7\n\t"
        "vfmadd231ps (%[out], %[stride], 2), %%ymm1, %%ymm8\n\t"
        "vfmadd231ps 32(%[out], %[stride], 2), %%ymm1, %%ymm9\n\t"
        "vfmadd231ps (%[out3]), %%ymm1, %%ymm10\n\t"
        "vfmadd231ps 32(%[out3]), %%ymm1, %%ymm11\n\t"
        "vfmadd231ps (%[out3], %[stride]), %%ymm1, %%ymm12\n\t"
        "vfmadd231ps 32(%[out3], %[stride]), %%ymm1, %%ymm13\n\t"
        "vfmadd231ps (%[out3], %[stride], 2), %%ymm1, %%ymm14\n\t"
        "vfmadd231ps 32(%[out3], %[stride], 2), %%ymm1, %%ymm15\n"
        "3:\n\t"
        "vmovups %%ymm4, (%[out])\n\t"
        "vmovups %%ymm5, 32(%[out])\n\t"
        "vmovups %%ymm6, (%[out], %[stride])\n\t"
        "vmovups %%ymm7, 32(%[out], %[stride])\n\t"
        "vmovups %%ymm8, (%[out], %[stride], 2)\n\t"
        "vmovups %%ymm9, 32(%[out], %[stride], 2)\n\t"
        "vmovups %%ymm10, (%[out3])\n\t"
        "vmovups %%ymm11, 32(%[out3])\n\t"
        "vmovups %%ymm12, (%[out3], %[stride])\n\t"
        "vmovups %%ymm13, 32(%[out3], %[stride])\n\t"
        "vmovups %%ymm14, (%[out3], %[stride], 2)\n\t"
        "vmovups %%ymm15, 32(%[out3], %[stride], 2)\n\t"
        "vzeroupper"
        : [a] "+r"(a), [b] "+r"(b), [depth] "+r"(depth)
        : [out] "r"(out), [out3] "r"(out3), [stride] "r"(stride), [alpha] "m"(alpha), [beta] "m"(beta),
          [read_out] "r"(read_out)
        : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
          "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "memory", "cc");
}

void swifttune_gemm_tile(
    ptrdiff_t depth, const float *a, const float *b, float *c, ptrdiff_t ldc, ptrdiff_t rows,
    ptrdiff_t columns, float alpha, float beta)
{
    if (rows == SWIFTTUNE_GEMM_TILE_ROWS && columns == SWIFTTUNE_GEMM_TILE_COLUMNS) {
        // With beta == 0, C is not read (it may hold NaN).
        multiply_into(depth, a, b, c, c + 3 * ldc, ldc * (ptrdiff_t)sizeof(float), alpha, beta, beta != 0);
        return;
    }
    // An edge tile: finish it in a full-size scratch tile, then copy the part C has.
    float tile[SWIFTTUNE_GEMM_TILE_ROWS * SWIFTTUNE_GEMM_TILE_COLUMNS];
    ptrdiff_t width = SWIFTTUNE_GEMM_TILE_COLUMNS;
    multiply_into(depth, a, b, tile, tile + 3 * width, width * (ptrdiff_t)sizeof(float), alpha, 0, 0);
    swifttune_gemm_store_edge(tile, c, ldc, rows, columns, beta);
}
#endif

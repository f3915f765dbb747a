import CGemmKernels

/// Multiplies a packed A block by a packed B panel into C:
/// `C[0..<rows, 0..<columns] = alpha * A·B + beta * C`, one register tile at a time (the C
/// kernels of CGemmKernels; on x86-64 only for CPUs with AVX2 and FMA). With `beta == 0`, C is
/// not read (it may hold NaN).
///
/// - Parameters:
///   - packedA: `rows × depth` packed by `packA`.
///   - packedB: `depth × columns` packed by `packB`.
///   - c: the block's top-left element of C; row `i` starts at `c + i * ldc`.
package func multiplyPacked(
    packedA: UnsafePointer<Float>, packedB: UnsafePointer<Float>, rows: Int, columns: Int, depth: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float
) {
    swifttune_gemm_multiply_packed(packedA, packedB, rows, columns, depth, c, ldc, alpha, beta)
}

import CPUKernels

/// A GEMM's B operand (`depth × columns`), packed once into the layout the CPU kernels read, for
/// products that multiply by the same matrix many times (an LSTM's `weight_hh` at every step).
///
/// Column panel `left` (panels of `GemmBlocking.columns`) starts at `left * depth`; inside it,
/// the depth block starting at `front` starts at `front * paddedPanelColumns`, packed by `packB`.
public final class PackedGemmOperand: @unchecked Sendable {
    /// Rows of B (k of the product).
    public let depth: Int
    /// Columns of B (n of the product).
    public let columns: Int
    /// The depth of each block, as the blocked GEMM cuts `depth`.
    let depthStep: Int
    private let buffer: CPUBuffer

    /// Packs `matrix` (`[k, n]`, or `[n, k]` read as its transpose when `transposed`).
    init(_ matrix: StridedMatrix, depth: Int, columns: Int) throws {
        (self.depth, self.columns) = (depth, columns)
        depthStep = GemmBlocking.balancedDepth(depth)
        buffer = try CPUBuffer(count: max(1, GemmBlocking.roundUp(columns, to: GemmBlocking.tileColumns) * depth))
        for left in stride(from: 0, to: columns, by: GemmBlocking.columns) {
            let panel = left..<min(columns, left + GemmBlocking.columns)
            for front in stride(from: 0, to: depth, by: depthStep) {
                packB(matrix, depth: front..<min(depth, front + depthStep), columns: panel, into: block(panel: panel, front: front))
            }
        }
    }

    /// The packed depth block starting at `front` of the column panel `panel`.
    func block(panel: Range<Int>, front: Int) -> UnsafeMutablePointer<Float> {
        buffer.pointer + panel.lowerBound * depth + front * GemmBlocking.roundUp(panel.count, to: GemmBlocking.tileColumns)
    }
}

extension CPUDevice {
    /// `b` (`[k, n]`; `[n, k]` used as its transpose when `transposed`) packed for
    /// `multiply(rows:of:lda:by:into:ldc:beta:)`; nil where the CPU GEMM runs the portable loop,
    /// which has no packed kernels.
    public func packGemmOperand(_ b: Tensor, transposed: Bool) throws -> PackedGemmOperand? {
        guard CPUGemmKernel.preferred == .blocked else { return nil }
        guard b.rank == 2 else {
            throw BackendError.shapeMismatch(op: "packGemmOperand", detail: "B must be a matrix, has shape \(b.shape)")
        }
        let base = try pointer(b, op: "packGemmOperand")
        let (rows, columns) = (b.shape[0], b.shape[1])
        return try PackedGemmOperand(
            StridedMatrix(base: base, leading: columns, transposed: transposed),
            depth: transposed ? columns : rows, columns: transposed ? rows : columns)
    }

    /// `C[rows] = A[rows] · B + beta * C[rows]` on the calling thread, for row-major A
    /// (`lda` apart, `b.depth` wide) and C (`ldc` apart, `b.columns` wide).
    func multiply(
        rows: Range<Int>, of a: UnsafePointer<Float>, lda: Int, by b: PackedGemmOperand, into c: UnsafeMutablePointer<Float>,
        ldc: Int, beta: Float
    ) throws {
        guard !rows.isEmpty, b.columns > 0 else { return }
        let matrix = StridedMatrix(base: a, leading: lda, transposed: false)
        let blockRows = min(GemmBlocking.rows, rows.count)
        try GemmScratch.packedA.withBuffer(count: GemmBlocking.packedACount(rows: blockRows, depth: b.depthStep)) { packedA in
            for top in stride(from: rows.lowerBound, to: rows.upperBound, by: GemmBlocking.rows) {
                let block = top..<min(rows.upperBound, top + GemmBlocking.rows)
                for front in stride(from: 0, to: b.depth, by: b.depthStep) {
                    let depth = front..<min(b.depth, front + b.depthStep)
                    packA(matrix, rows: block, depth: depth, into: packedA)
                    for left in stride(from: 0, to: b.columns, by: GemmBlocking.columns) {
                        let panel = left..<min(b.columns, left + GemmBlocking.columns)
                        multiplyPacked(
                            packedA: packedA, packedB: b.block(panel: panel, front: front), rows: block.count, columns: panel.count,
                            depth: depth.count, c: c + top * ldc + left, ldc: ldc, alpha: 1, beta: front == 0 ? beta : 1)
                    }
                }
            }
        }
    }
}

import CPUKernels

/// A GEMM's B operand (`depth × columns`), packed once into the layout the CPU kernels read, for
/// products that multiply by the same matrix many times (an LSTM's `weight_hh` at every step).
///
/// The columns form `groups` equal groups (an LSTM's four gates), each packed on its own so that
/// a product can take the same columns of every group (`multiply(rows:…:columns:…)`). Group `g`
/// starts at `g * groupStride`; inside it, column panel `left` (panels of `GemmBlocking.columns`)
/// starts at `left * depth`, and the depth block starting at `front` at
/// `front * paddedPanelColumns`, packed by `packB`.
public final class PackedGemmOperand: @unchecked Sendable {
    /// Rows of B (k of the product).
    public let depth: Int
    /// Columns of B (n of the product).
    public let columns: Int
    /// Equal groups of columns packed each on its own.
    public let groups: Int
    /// The depth of each block, as the blocked GEMM cuts `depth`.
    let depthStep: Int
    private let groupStride: Int
    private let buffer: CPUBuffer

    /// Columns of one group.
    public var groupColumns: Int { columns / groups }

    /// Packs `matrix` (`[k, n]`, or `[n, k]` read as its transpose when `transposed`), whose
    /// `columns` divide into `groups` equal groups.
    init(_ matrix: StridedMatrix, depth: Int, columns: Int, groups: Int) throws {
        (self.depth, self.columns, self.groups) = (depth, columns, groups)
        depthStep = GemmBlocking.balancedDepth(depth)
        let width = columns / groups
        groupStride = GemmBlocking.roundUp(width, to: GemmBlocking.tileColumns) * depth
        buffer = try CPUBuffer(count: max(1, groupStride * groups))
        for group in 0..<groups {
            for left in stride(from: 0, to: width, by: GemmBlocking.columns) {
                let panel = left..<min(width, left + GemmBlocking.columns)
                let source = (group * width + panel.lowerBound)..<(group * width + panel.upperBound)
                for front in stride(from: 0, to: depth, by: depthStep) {
                    packB(
                        matrix, depth: front..<min(depth, front + depthStep), columns: source,
                        into: block(group: group, panel: panel, front: front))
                }
            }
        }
    }

    /// The packed depth block starting at `front` of the column panel `panel` (columns of the
    /// group) of group `group`.
    func block(group: Int, panel: Range<Int>, front: Int) -> UnsafeMutablePointer<Float> {
        buffer.pointer + group * groupStride + panel.lowerBound * depth
            + front * GemmBlocking.roundUp(panel.count, to: GemmBlocking.tileColumns)
    }
}

extension CPUDevice {
    /// `b` (`[k, n]`; `[n, k]` used as its transpose when `transposed`) packed for
    /// `multiply(rows:of:lda:by:columns:into:ldc:beta:)`, its `n` columns in `groups` equal
    /// groups; nil where the CPU GEMM runs the portable loop, which has no packed kernels.
    public func packGemmOperand(_ b: Tensor, transposed: Bool, groups: Int = 1) throws -> PackedGemmOperand? {
        guard CPUGemmKernel.preferred == .blocked else { return nil }
        guard b.rank == 2 else {
            throw BackendError.shapeMismatch(op: "packGemmOperand", detail: "B must be a matrix, has shape \(b.shape)")
        }
        let base = try pointer(b, op: "packGemmOperand")
        let (rows, columns) = (b.shape[0], b.shape[1])
        let (depth, width) = transposed ? (columns, rows) : (rows, columns)
        guard groups > 0, width % groups == 0 else {
            throw BackendError.shapeMismatch(
                op: "packGemmOperand", detail: "B's \(width) columns do not divide into \(groups) equal groups")
        }
        return try PackedGemmOperand(
            StridedMatrix(base: base, leading: columns, transposed: transposed), depth: depth, columns: width, groups: groups)
    }

    /// `C[rows, g·w + columns] = A[rows] · B[:, g·w + columns] + beta * C[rows, g·w + columns]`
    /// for every group `g` of `b` (`w` columns each; `columns` nil: all of them) on the calling
    /// thread, for row-major A (`lda` apart, `b.depth` wide) and C (`ldc` apart, `b.columns`
    /// wide). `columns` starts at a multiple of `GemmBlocking.tileColumns`.
    func multiply(
        rows: Range<Int>, of a: UnsafePointer<Float>, lda: Int, by b: PackedGemmOperand, columns: Range<Int>? = nil,
        into c: UnsafeMutablePointer<Float>, ldc: Int, beta: Float
    ) throws {
        let width = b.groupColumns
        let columns = columns ?? 0..<width
        guard !rows.isEmpty, !columns.isEmpty else { return }
        let matrix = StridedMatrix(base: a, leading: lda, transposed: false)
        let blockRows = min(GemmBlocking.rows, rows.count)
        try GemmScratch.packedA.withBuffer(count: GemmBlocking.packedACount(rows: blockRows, depth: b.depthStep)) { packedA in
            for top in stride(from: rows.lowerBound, to: rows.upperBound, by: GemmBlocking.rows) {
                let block = top..<min(rows.upperBound, top + GemmBlocking.rows)
                for front in stride(from: 0, to: b.depth, by: b.depthStep) {
                    let depth = front..<min(b.depth, front + b.depthStep)
                    packA(matrix, rows: block, depth: depth, into: packedA)
                    for left in stride(from: columns.lowerBound / GemmBlocking.columns * GemmBlocking.columns, to: columns.upperBound, by: GemmBlocking.columns) {
                        let panel = left..<min(width, left + GemmBlocking.columns)
                        let part = panel.clamped(to: columns)
                        for group in 0..<b.groups {
                            multiplyPacked(
                                packedA: packedA, packedB: b.block(group: group, panel: panel, front: front) + (part.lowerBound - left) * depth.count,
                                rows: block.count, columns: part.count, depth: depth.count, c: c + top * ldc + group * width + part.lowerBound,
                                ldc: ldc, alpha: 1, beta: front == 0 ? beta : 1)
                        }
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// The matrix product `op(self) · op(b)` in a new tensor on the same device.
    ///
    /// - 2-D · 2-D: `[m, k] · [k, n] → [m, n]`.
    /// - 3-D · 3-D: one product per batch entry, `[batch, m, k] · [batch, k, n] → [batch, m, n]`.
    /// - 3-D · 2-D and 2-D · 3-D: the 2-D operand takes part in every product of the batch.
    ///
    /// `transposeA` and `transposeB` transpose the last two dimensions of `self` and `b`.
    /// Throws `BackendError.shapeMismatch` when the shapes do not fit and
    /// `BackendError.deviceMismatch` when `b` lives on another device.
    public func matmul(_ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) throws -> Tensor {
        guard b.device === device else {
            throw BackendError.deviceMismatch(op: "matmul", expected: device.identifier, found: b.device.identifier)
        }
        guard (2...3).contains(rank), (2...3).contains(b.rank) else {
            throw BackendError.shapeMismatch(
                op: "matmul", detail: "operands must be 2-D or 3-D, got shapes \(shape) and \(b.shape)")
        }
        let batchA = rank == 3 ? shape[0] : nil
        let batchB = b.rank == 3 ? b.shape[0] : nil
        if let batchA, let batchB, batchA != batchB {
            throw BackendError.shapeMismatch(
                op: "matmul", detail: "batch sizes differ: A \(shape) has \(batchA), B \(b.shape) has \(batchB)")
        }
        let (m, kA) = Self.matrixSize(shape, transposed: transposeA)
        let (kB, n) = Self.matrixSize(b.shape, transposed: transposeB)
        guard kA == kB else {
            throw BackendError.shapeMismatch(
                op: "matmul",
                detail: "inner dimensions differ: A \(shape)\(transposeA ? " transposed" : "") has k = \(kA), "
                    + "B \(b.shape)\(transposeB ? " transposed" : "") has k = \(kB)")
        }
        let batch = batchA ?? batchB ?? 1
        let result = try Tensor(uninitializedShape: batchA == nil && batchB == nil ? [m, n] : [batch, m, n], on: device)
        guard batch > 0 else { return result }
        let descriptor: GemmDescriptor
        if batchB == nil, !transposeA {
            // [batch, m, k] · [k, n] is one [batch · m, k] · [k, n] product.
            descriptor = GemmDescriptor(m: batch * m, n: n, k: kA, transposeB: transposeB)
        } else {
            descriptor = GemmDescriptor(
                m: m, n: n, k: kA, transposeA: transposeA, transposeB: transposeB, batch: batch,
                strideA: batchA == nil ? 0 : m * kA, strideB: batchB == nil ? 0 : kA * n)
        }
        try device.gemm(descriptor, a: self, b: b, c: result)
        return result
    }

    /// Rows and columns of the matrix in the last two dimensions of `shape`, after the transpose.
    private static func matrixSize(_ shape: [Int], transposed: Bool) -> (rows: Int, columns: Int) {
        let rows = shape[shape.count - 2]
        let columns = shape[shape.count - 1]
        return transposed ? (columns, rows) : (rows, columns)
    }
}

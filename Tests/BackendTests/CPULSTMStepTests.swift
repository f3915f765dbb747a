@testable import Backend
import Testing
import TestSupport

/// The CPU's fused LSTM steps against the ops they fuse (GEMM, `lstmCell`, `lstmCellBackward`),
/// and the pre-packed GEMM operand against the plain GEMM.
@Suite(.enabled(if: CPUGemmKernel.preferred == .blocked, "the packed operand needs the blocked GEMM kernels"))
struct CPULSTMStepTests {
    let device = CPUDevice.shared

    /// Across the depth block (256) and the column panel (4096), B as stored and transposed,
    /// a few rows in the middle only.
    @Test(arguments: [(k: 3, n: 5), (k: 300, n: 40), (k: 257, n: 17), (k: 4, n: 4100)])
    func packedOperandMultipliesLikeTheGemm(shape: (k: Int, n: Int)) throws {
        let (m, rows) = (9, 2..<8)
        let a = randomValues(m * shape.k, seed: 1)
        for transposed in [false, true] {
            let b = try Tensor(randomValues(shape.k * shape.n, seed: 2), shape: transposed ? [shape.n, shape.k] : [shape.k, shape.n], on: device)
            let packed = try #require(try device.packGemmOperand(b, transposed: transposed))
            let start = randomValues(m * shape.n, seed: 3)
            var result = start
            try a.withUnsafeBufferPointer { a in
                try result.withUnsafeMutableBufferPointer { c in
                    try device.multiply(
                        rows: rows, of: try #require(a.baseAddress), lda: shape.k, by: packed, into: try #require(c.baseAddress),
                        ldc: shape.n, beta: 0.5)
                }
            }
            let expected = try Tensor(start, shape: [m, shape.n], on: device)
            try device.gemm(
                GemmDescriptor(m: m, n: shape.n, k: shape.k, transposeB: transposed, beta: 0.5),
                a: Tensor(a, shape: [m, shape.k], on: device), b: b, c: expected)
            let want = try expected.toArray()
            let inRows = rows.lowerBound * shape.n..<rows.upperBound * shape.n
            expectClose(Array(result[inRows]), Array(want[inRows]), tolerance: 1e-5, "rows \(rows), transposed \(transposed)")
            #expect(Array(result[..<inRows.lowerBound]) == Array(start[..<inRows.lowerBound]))
            #expect(Array(result[inRows.upperBound...]) == Array(start[inRows.upperBound...]))
        }
    }

    /// The same columns of every group of an operand packed in groups, and nothing else, against
    /// the plain GEMM: the whole groups, a range from a column tile to the end, one in the middle.
    @Test(arguments: [0..<20, 16..<20, 16..<32])
    func groupedOperandMultipliesTheSameColumnsOfEveryGroup(columns: Range<Int>) throws {
        let (m, k, groups, width) = (7, 9, 4, 20)
        let n = groups * width
        let a = randomValues(m * k, seed: 1)
        let b = try Tensor(randomValues(k * n, seed: 2), shape: [k, n], on: device)
        let packed = try #require(try device.packGemmOperand(b, transposed: false, groups: groups))
        let start = randomValues(m * n, seed: 3)
        var result = start
        try a.withUnsafeBufferPointer { a in
            try result.withUnsafeMutableBufferPointer { c in
                try device.multiply(
                    rows: 0..<m, of: try #require(a.baseAddress), lda: k, by: packed, columns: columns, into: try #require(c.baseAddress),
                    ldc: n, beta: 1)
            }
        }
        let expected = try Tensor(start, shape: [m, n], on: device)
        try device.gemm(GemmDescriptor(m: m, n: n, k: k, beta: 1), a: Tensor(a, shape: [m, k], on: device), b: b, c: expected)
        let want = try expected.toArray()
        let inside = (0..<(m * n)).filter { columns.contains($0 % n % width) }
        let outside = (0..<(m * n)).filter { !columns.contains($0 % n % width) }
        expectClose(inside.map { result[$0] }, inside.map { want[$0] }, tolerance: 1e-5, "columns \(columns)")
        #expect(outside.map { result[$0] } == outside.map { start[$0] }, "columns outside \(columns) changed")
    }

    /// A forward step and its backward, with and without the previous state and the gradients
    /// that may be missing, against the unfused ops: on few rows and units (split by rows) and on
    /// 64 rows of 264 units, whose step two threads split by units (the last part ends in 8).
    @Test(arguments: [false, true], [(batch: 13, hidden: 12), (batch: 64, hidden: 264)])
    func stepsMatchTheUnfusedOps(withState: Bool, size: (batch: Int, hidden: Int)) throws {
        let device = CPUDevice(threads: 2)
        let (batch, steps, hidden, step) = (size.batch, 3, size.hidden, 1)
        let width = 4 * hidden
        func random(_ shape: [Int], _ seed: UInt64) throws -> Tensor {
            try Tensor(randomValues(shape.reduce(1, *), seed: seed), shape: shape, on: device)
        }
        let projected = try random([batch, steps, width], 1), weight = try random([hidden, width], 2)
        let previousHidden = withState ? try random([batch, hidden], 3) : nil
        let previousCell = withState ? try random([1, hidden], 4) : nil
        let packed = try #require(try device.packGemmOperand(weight, transposed: false, groups: 4))
        let activated = try Tensor.zeros([batch, width], on: device)
        let (cell, hiddenOut) = (try Tensor.zeros([batch, hidden], on: device), try Tensor.zeros([batch, hidden], on: device))
        try device.lstmStep(
            projected: projected, step: step, previousHidden: previousHidden, weight: packed, previousCell: previousCell,
            activated: activated, cell: cell, hidden: hiddenOut)

        let gates = try Tensor.zeros([batch, width], on: device)
        try device.copyBlocks(
            projected.buffer, offset: step * width, stride: steps * width, to: gates.buffer, offset: 0, stride: width, length: width,
            blocks: batch)
        if let previousHidden {
            try device.gemm(GemmDescriptor(m: batch, n: width, k: hidden, beta: 1), a: previousHidden, b: weight, c: gates)
        }
        let (wantActivated, wantCell, wantHidden) = (
            try Tensor.zeros([batch, width], on: device), try Tensor.zeros([batch, hidden], on: device),
            try Tensor.zeros([batch, hidden], on: device)
        )
        try device.lstmCell(gates: gates, previous: previousCell, activated: wantActivated, cell: wantCell, hidden: wantHidden)
        expectClose(try activated.toArray(), try wantActivated.toArray(), tolerance: 1e-5, "activated")
        expectClose(try cell.toArray(), try wantCell.toArray(), tolerance: 1e-5, "cell")
        expectClose(try hiddenOut.toArray(), try wantHidden.toArray(), tolerance: 1e-5, "hidden")

        let gradSequence = withState ? try random([batch, steps, hidden], 5) : nil
        let gradLast = try random([batch, hidden], 6)
        let gradCell = withState ? try random([batch, hidden], 8) : nil
        let transposed = try #require(try device.packGemmOperand(weight, transposed: true))
        let gradPrevious = try Tensor.zeros([batch, hidden], on: device)
        // The step after's gate gradients are in step 2 already; step 1 gets this step's.
        let gradProjected = try random([batch, steps, width], 7)
        let before = try gradProjected.toArray()
        try device.lstmStepBackward(
            gradSequence: gradSequence, gradLast: gradLast, transposedWeight: transposed, step: step, activated: activated,
            previousCell: previousCell, cell: cell, gradCell: gradCell, gradHidden: Tensor.zeros([batch, hidden], on: device),
            gradPrevious: gradPrevious, gradProjected: gradProjected)

        let gradHidden = try Tensor.zeros([batch, hidden], on: device)
        if let gradSequence {
            try device.copyBlocks(
                gradSequence.buffer, offset: step * hidden, stride: steps * hidden, to: gradHidden.buffer, offset: 0, stride: hidden,
                length: hidden, blocks: batch)
        }
        try device.binary(.add, gradHidden, gradLast, into: gradHidden)
        let gradNext = try Tensor.zeros([batch, width], on: device)
        try device.copyBlocks(
            gradProjected.buffer, offset: (step + 1) * width, stride: steps * width, to: gradNext.buffer, offset: 0, stride: width,
            length: width, blocks: batch)
        try device.gemm(GemmDescriptor(m: batch, n: hidden, k: width, transposeB: true, beta: 1), a: gradNext, b: weight, c: gradHidden)
        let (wantGates, wantPrevious) = (try Tensor.zeros([batch, width], on: device), try Tensor.zeros([batch, hidden], on: device))
        try device.lstmCellBackward(
            activated: wantActivated, previous: previousCell, cell: wantCell, gradHidden: gradHidden, gradCell: gradCell,
            into: wantGates, gradPrevious: wantPrevious)
        expectClose(try gradPrevious.toArray(), try wantPrevious.toArray(), tolerance: 1e-5, "gradPrevious")
        let (after, wantRows) = (try gradProjected.toArray(), try wantGates.toArray())
        let stepRows: [Int] = (0..<batch).flatMap { (b: Int) -> Range<Int> in
            let start = (b * steps + step) * width
            return start..<(start + width)
        }
        expectClose(stepRows.map { after[$0] }, wantRows, tolerance: 1e-5, "step \(step) of gradProjected")
        let otherRows = Set(0..<after.count).subtracting(stepRows).sorted()
        #expect(otherRows.map { after[$0] } == otherRows.map { before[$0] }, "the other steps of gradProjected changed")
    }

    @Test func aStepOutsideTheSequenceIsRefused() throws {
        let weight = try Tensor.zeros([2, 8], on: device)
        let packed = try #require(try device.packGemmOperand(weight, transposed: false, groups: 4))
        #expect(throws: BackendError.self) {
            try device.lstmStep(
                projected: Tensor.zeros([3, 2, 8], on: device), step: 2, previousHidden: nil, weight: packed, previousCell: nil,
                activated: Tensor.zeros([3, 8], on: device), cell: Tensor.zeros([3, 2], on: device),
                hidden: Tensor.zeros([3, 2], on: device))
        }
    }
}

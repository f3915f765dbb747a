@testable import Backend
import Testing
import TestSupport

/// The CPU GEMM's own edge cases (tile and block edges, strides, alpha/beta, batches, both
/// kernels), each against a Double reference computed on the host.
@Suite struct CPUGemmTests {
    /// Sizes around the register tile (6 × 16), the A block (144 rows) and the depth block (256).
    static let shapes: [(m: Int, n: Int, k: Int)] = [
        (1, 1, 1), (1, 7, 33), (7, 1, 65), (33, 65, 7), (65, 130, 33), (130, 33, 65),
        (6, 16, 256), (7, 17, 257), (145, 20, 300), (3, 300, 40), (200, 5, 3),
    ]
    static let transposes = [(false, false), (true, false), (false, true), (true, true)]

    @Test(arguments: shapes)
    func everyTransposeCombination(shape: (m: Int, n: Int, k: Int)) throws {
        for (transposeA, transposeB) in Self.transposes {
            let d = GemmDescriptor(m: shape.m, n: shape.n, k: shape.k, transposeA: transposeA, transposeB: transposeB)
            try checkGemm(d, seed: UInt64(shape.m * 1000 + shape.n * 10 + shape.k))
        }
    }

    @Test(arguments: [CPUGemmKernel.blocked, .portable, .small])
    func alphaAndBeta(kernel: CPUGemmKernel) throws {
        for (alpha, beta) in [(Float(2.5), Float(0)), (0.5, -1.5), (1, 1), (-1, 0.25)] {
            for (transposeA, transposeB) in Self.transposes {
                let d = GemmDescriptor(
                    m: 37, n: 41, k: 300, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta)
                try checkGemm(d, kernel: kernel, seed: 7)
            }
        }
    }

    @Test func portableKernelOnOddShapes() throws {
        for shape in Self.shapes {
            for (transposeA, transposeB) in Self.transposes {
                let d = GemmDescriptor(m: shape.m, n: shape.n, k: shape.k, transposeA: transposeA, transposeB: transposeB)
                try checkGemm(d, kernel: .portable, seed: UInt64(shape.k))
            }
        }
    }

    @Test func smallKernelOnOddShapes() throws {
        for shape in Self.shapes {
            for (transposeA, transposeB) in Self.transposes {
                let d = GemmDescriptor(m: shape.m, n: shape.n, k: shape.k, transposeA: transposeA, transposeB: transposeB)
                try checkGemm(d, kernel: .small, seed: UInt64(shape.n))
            }
        }
    }

    @Test func emptyDepthScalesC() throws {
        try checkGemm(GemmDescriptor(m: 9, n: 17, k: 0, beta: 0), seed: 1)
        try checkGemm(GemmDescriptor(m: 9, n: 17, k: 0, beta: 2), seed: 2)
    }

    @Test func zeroAlphaReadsNeitherAnorB() throws {
        let d = GemmDescriptor(m: 8, n: 20, k: 12, alpha: 0, beta: 0.5)
        try checkGemm(d, seed: 3, poisonInputs: true)
    }

    @Test func emptyOutputIsANoOp() throws {
        let device = CPUDevice.shared
        let a = try randomTensor([4], seed: 1, on: device)
        let b = try randomTensor([12], seed: 2, on: device)
        let c = try poisonedTensor([1], on: device)
        try device.gemm(GemmDescriptor(m: 0, n: 3, k: 4), a: a, b: b, c: c)
        #expect(try c.item().isNaN)
    }

    @Test(arguments: [CPUGemmKernel.blocked, .portable, .small])
    func batchWithCustomStrides(kernel: CPUGemmKernel) throws {
        for (transposeA, transposeB) in Self.transposes {
            // Padded A and C, B shared by every matrix (stride 0); gaps in C must stay untouched.
            let padded = GemmDescriptor(
                m: 13, n: 19, k: 23, transposeA: transposeA, transposeB: transposeB, alpha: 1.5, beta: 0,
                batch: 5, strideA: 13 * 23 + 3, strideB: 0, strideC: 13 * 19 + 5)
            try checkGemm(padded, kernel: kernel, seed: 11)
            let accumulating = GemmDescriptor(
                m: 7, n: 33, k: 65, transposeA: transposeA, transposeB: transposeB, beta: -0.5,
                batch: 3, strideA: 7 * 65 + 1, strideB: 33 * 65 + 2, strideC: 7 * 33 + 7)
            try checkGemm(accumulating, kernel: kernel, seed: 12)
        }
    }

    @Test func batchSmallerThanTheThreadCountSplitsEachMatrix() throws {
        // Fewer matrices than threads: each matrix is spread over all threads in turn.
        let d = GemmDescriptor(m: 70, n: 50, k: 300, transposeB: true, beta: 0.5, batch: 2)
        try checkGemm(d, device: CPUDevice(threads: 3), seed: 13)
    }

    @Test func moreThreadsThanCoresSplitRowsAndColumns() throws {
        let device = CPUDevice(threads: 5)
        // Many rows: chunks of row tiles. Few rows, many columns: chunks of column tiles.
        try checkGemm(GemmDescriptor(m: 301, n: 70, k: 260, beta: 1), device: device, seed: 21)
        try checkGemm(GemmDescriptor(m: 5, n: 4100, k: 300, transposeA: true), device: device, seed: 22)
        try checkGemm(GemmDescriptor(m: 1, n: 4100, k: 3, transposeB: true), device: device, seed: 23)
    }

    /// Few rows over several depth blocks (an LSTM step's `dh = dGates · W_hhᵀ`): all of B's
    /// depth blocks are packed at once, then each chunk of row tiles runs through them in order.
    @Test func fewRowsOverSeveralDepthBlocks() throws {
        let device = CPUDevice(threads: 3)
        for (transposeA, transposeB) in Self.transposes {
            let d = GemmDescriptor(m: 64, n: 70, k: 1000, transposeA: transposeA, transposeB: transposeB, beta: 1)
            #expect(d.k * 80 <= CPUDevice.wholeDepthPackLimit)  // 70 columns pad to 5 tiles of 16
            try checkGemm(d, device: device, seed: 41)
        }
    }

    /// A small C over a long depth (a weight gradient) is split by depth into segments summed
    /// in order; every transpose, alpha and beta, a depth that leaves a short last segment, and
    /// the same values whatever the thread count.
    @Test func deepProductsSplitByDepth() throws {
        let device = CPUDevice(threads: 3)
        for (transposeA, transposeB) in Self.transposes {
            let d = GemmDescriptor(m: 13, n: 21, k: 5 * CPUDevice.segmentDepth + 7, transposeA: transposeA, transposeB: transposeB)
            #expect(CPUDevice.depthSegments(d) > 1)
            try checkGemm(d, device: device, seed: 31)
        }
        try checkGemm(GemmDescriptor(m: 32, n: 9, k: 50_176, transposeB: true, alpha: 0.5, beta: 1.5), device: device, seed: 32)
        let d = GemmDescriptor(m: 5, n: 7, k: 9000, transposeB: true)
        var results: [[Float]] = []
        for threads in [2, 3, 8] {
            let twin = CPUDevice(threads: threads)
            let c = try poisonedTensor([35], on: twin)
            try twin.gemm(d, a: try randomTensor([5 * 9000], seed: 33, on: twin), b: try randomTensor([7 * 9000], seed: 34, on: twin), c: c)
            results.append(try c.toArray())
        }
        #expect(results.allSatisfy { $0 == results[0] })
    }

    @Test func invalidOutputsAreErrors() throws {
        let device = CPUDevice.shared
        let a = try randomTensor([4, 4], seed: 1, on: device)
        let b = try randomTensor([4, 4], seed: 2, on: device)
        #expect(throws: BackendError.self) {
            try device.gemm(GemmDescriptor(m: 4, n: 4, k: 4), a: a, b: b, c: a.reshaped([16]))
        }
        #expect(throws: BackendError.self) {
            try device.gemm(GemmDescriptor(m: 4, n: 4, k: 5), a: a, b: b, c: try poisonedTensor([16], on: device))
        }
        let overlapping = GemmDescriptor(m: 2, n: 2, k: 2, batch: 2, strideA: 0, strideB: 0, strideC: 2)
        #expect(throws: BackendError.self) {
            try device.gemm(overlapping, a: a, b: b, c: try poisonedTensor([16], on: device))
        }
    }
}

/// Runs `d` on fresh random inputs and checks C against a Double reference: relative Frobenius
/// error ≤ 1e-5 over the matrices, and every element between them (stride padding) unchanged.
/// With `beta == 0`, C starts as NaN so any element the GEMM skips fails; with `poisonInputs`,
/// A and B are NaN too (for ops that must not read them).
private func checkGemm(
    _ d: GemmDescriptor, device: CPUDevice = .shared, kernel: CPUGemmKernel = .preferred, seed: UInt64,
    poisonInputs: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    func extent(_ stride: Int, _ size: Int) -> Int { max(1, (d.batch - 1) * stride + size) }
    let countA = extent(d.strideA, d.m * d.k)
    let countB = extent(d.strideB, d.k * d.n)
    let countC = extent(d.strideC, d.m * d.n)
    let valuesA = poisonInputs ? [Float](repeating: .nan, count: countA) : randomValues(countA, seed: seed)
    let valuesB = poisonInputs ? [Float](repeating: .nan, count: countB) : randomValues(countB, seed: seed &+ 1)
    let initialC = d.beta == 0 ? [Float](repeating: .nan, count: countC) : randomValues(countC, seed: seed &+ 2)
    let c = try Tensor(initialC, shape: [countC], on: device)
    try device.gemm(
        d, a: try Tensor(valuesA, shape: [countA], on: device), b: try Tensor(valuesB, shape: [countB], on: device),
        c: c, kernel: kernel)
    let result = try c.toArray()

    var actual: [Float] = []
    var expected: [Double] = []
    var inMatrix = [Bool](repeating: false, count: countC)
    for batch in 0..<d.batch {
        let a = HostOperand(values: valuesA, offset: batch * d.strideA, leading: d.lda, transposed: d.transposeA)
        let b = HostOperand(values: valuesB, offset: batch * d.strideB, leading: d.ldb, transposed: d.transposeB)
        for i in 0..<d.m {
            for j in 0..<d.n {
                let index = batch * d.strideC + i * d.ldc + j
                var sum = 0.0
                if d.alpha != 0 {
                    for p in 0..<d.k { sum += a[i, p] * b[p, j] }
                }
                let old = d.beta == 0 ? 0 : Double(d.beta) * Double(initialC[index])
                expected.append(Double(d.alpha) * sum + old)
                actual.append(result[index])
                inMatrix[index] = true
            }
        }
    }
    let error = relativeFrobeniusError(actual, expected)
    #expect(error <= 1e-5, "\(d) with \(kernel): relative Frobenius error \(error)", sourceLocation: sourceLocation)
    let changedGaps = (0..<countC).filter { !inMatrix[$0] && result[$0].bitPattern != initialC[$0].bitPattern }
    #expect(changedGaps.isEmpty, "\(d): wrote between matrices at \(changedGaps.prefix(5))", sourceLocation: sourceLocation)
}

/// Host values of one operand, read the way the GEMM reads them (in Double).
private struct HostOperand {
    let values: [Float]
    let offset: Int
    let leading: Int
    let transposed: Bool

    subscript(row: Int, column: Int) -> Double {
        Double(values[offset + (transposed ? column * leading + row : row * leading + column)])
    }
}

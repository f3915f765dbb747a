import Backend
import Testing
import TestSupport

/// A device and, on OpenCL, the GEMM path to run on it (both CLBlast and the own kernel).
struct GemmTarget: Sendable, CustomStringConvertible {
    let device: any Device
    let path: GemmPath?

    var description: String { path.map { "\(device.identifier) \($0)" } ?? device.identifier }

    static let all: [GemmTarget] = TestDevice.all.flatMap { test -> [GemmTarget] in
        guard test.device is OpenCLDevice else { return [GemmTarget(device: test.device, path: nil)] }
        return [GemmPath.clblast, .kernel].map { GemmTarget(device: test.device, path: $0) }
    }

    static let openCL = all.filter { $0.path != nil }

    func gemm(_ descriptor: GemmDescriptor, a: Tensor, b: Tensor, c: Tensor) throws {
        if let path, let device = device as? OpenCLDevice {
            try device.gemm(descriptor, a: a, b: b, c: c, path: path)
        } else {
            try device.gemm(descriptor, a: a, b: b, c: c)
        }
    }
}

/// GEMM sizes `m × n × k`.
struct GemmShape: Sendable, CustomStringConvertible {
    let m: Int
    let n: Int
    let k: Int
    var description: String { "\(m)x\(n)x\(k)" }
}

/// `C` as `descriptor` leaves it, in Double; elements outside every batch's C keep their value.
func referenceGemm(_ d: GemmDescriptor, a: [Float], b: [Float], c: [Float]) -> [Double] {
    var result = c.map(Double.init)
    for batch in 0..<d.batch {
        let aBase = batch * d.strideA, bBase = batch * d.strideB, cBase = batch * d.strideC
        for i in 0..<d.m {
            for j in 0..<d.n {
                var sum = 0.0
                for p in 0..<d.k {
                    let aValue = a[aBase + (d.transposeA ? p * d.lda + i : i * d.lda + p)]
                    let bValue = b[bBase + (d.transposeB ? j * d.ldb + p : p * d.ldb + j)]
                    sum += Double(aValue) * Double(bValue)
                }
                let index = cBase + i * d.ldc + j
                let scaled = Double(d.alpha) * sum
                result[index] = d.beta == 0 ? scaled : scaled + Double(d.beta) * Double(c[index])
            }
        }
    }
    return result
}

/// Element counts A, B and C need for `d`.
func gemmCounts(_ d: GemmDescriptor) -> (a: Int, b: Int, c: Int) {
    func needed(_ stride: Int, _ size: Int) -> Int { size == 0 ? 0 : (d.batch - 1) * stride + size }
    return (needed(d.strideA, d.m * d.k), needed(d.strideB, d.k * d.n), needed(d.strideC, d.m * d.n))
}

/// Runs `d` on `target` with random A and B and either a NaN-poisoned C (`poisonC`) or a random
/// one, and checks the relative Frobenius error against the Double reference.
func checkGemm(
    _ target: GemmTarget, _ d: GemmDescriptor, range: ClosedRange<Float> = -1...1, poisonC: Bool, seed: UInt64,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let counts = gemmCounts(d)
    let a = randomValues(counts.a, in: range, seed: seed)
    let b = randomValues(counts.b, in: range, seed: seed + 1)
    let c = poisonC ? [Float](repeating: .nan, count: counts.c) : randomValues(counts.c, in: range, seed: seed + 2)
    let cTensor = try Tensor(c, shape: [counts.c], on: target.device)
    try target.gemm(
        d, a: try Tensor(a, shape: [counts.a], on: target.device), b: try Tensor(b, shape: [counts.b], on: target.device),
        c: cTensor)
    let error = relativeFrobeniusError(try cTensor.toArray(), referenceGemm(d, a: a, b: b, c: c))
    #expect(error <= 1e-5, "\(target) \(d): relative Frobenius error \(error)", sourceLocation: sourceLocation)
}

let transposeCombinations = [(false, false), (true, false), (false, true), (true, true)]

@Suite struct GemmTests {
    static let oddShapes = [
        GemmShape(m: 1, n: 1, k: 1), GemmShape(m: 1, n: 17, k: 3), GemmShape(m: 3, n: 1, k: 33),
        GemmShape(m: 17, n: 33, k: 1), GemmShape(m: 33, n: 17, k: 65), GemmShape(m: 65, n: 127, k: 3),
        GemmShape(m: 6, n: 16, k: 8), GemmShape(m: 7, n: 17, k: 9), GemmShape(m: 127, n: 65, k: 257),
        GemmShape(m: 257, n: 33, k: 127), GemmShape(m: 64, n: 64, k: 64),
    ]

    @Test(arguments: GemmTarget.all, oddShapes)
    func oddShapesInEveryTransposeOverwriteAPoisonedOutput(target: GemmTarget, shape: GemmShape) throws {
        for (index, (transposeA, transposeB)) in transposeCombinations.enumerated() {
            let d = GemmDescriptor(m: shape.m, n: shape.n, k: shape.k, transposeA: transposeA, transposeB: transposeB, alpha: 1.25)
            try checkGemm(target, d, poisonC: true, seed: UInt64(shape.m * 1000 + shape.k * 10 + index))
        }
    }

    @Test(arguments: GemmTarget.all)
    func alphaAndBetaScaleProductAndOutput(target: GemmTarget) throws {
        for (alpha, beta) in [(Float(1), Float(1)), (-1.5, 0.75), (0, 2), (0.5, -1)] {
            for (transposeA, transposeB) in transposeCombinations {
                let d = GemmDescriptor(m: 19, n: 35, k: 23, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta)
                try checkGemm(target, d, poisonC: false, seed: 7)
            }
        }
    }

    @Test(arguments: GemmTarget.all)
    func largeMagnitudes(target: GemmTarget) throws {
        for (transposeA, transposeB) in transposeCombinations {
            let d = GemmDescriptor(m: 65, n: 33, k: 129, transposeA: transposeA, transposeB: transposeB, alpha: 0.5, beta: 0.25)
            try checkGemm(target, d, range: -1000...1000, poisonC: false, seed: 11)
        }
    }

    @Test(arguments: GemmTarget.all)
    func stridedBatches(target: GemmTarget) throws {
        let m = 17, n = 33, k = 65
        let dense = GemmDescriptor(m: m, n: n, k: k, transposeA: true, batch: 3)
        // Gaps between the matrices: the op must leave them alone.
        let padded = GemmDescriptor(
            m: m, n: n, k: k, transposeB: true, alpha: 2, beta: 0.5, batch: 3,
            strideA: m * k + 5, strideB: k * n + 3, strideC: m * n + 7)
        // One B (stride 0) for every matrix of A.
        let sharedB = GemmDescriptor(m: 5, n: 3, k: 1, batch: 4, strideB: 0)
        let sharedA = GemmDescriptor(m: 9, n: 20, k: 31, transposeA: true, transposeB: true, batch: 2, strideA: 0)
        for d in [dense, padded, sharedB, sharedA] {
            try checkGemm(target, d, poisonC: false, seed: 23)
        }
        try checkGemm(target, GemmDescriptor(m: 33, n: 9, k: 17, batch: 5), poisonC: true, seed: 29)
    }

    @Test(arguments: GemmTarget.all)
    func emptyInnerDimensionScalesOutputByBeta(target: GemmTarget) throws {
        try checkGemm(target, GemmDescriptor(m: 7, n: 19, k: 0, alpha: 3), poisonC: true, seed: 31)
        try checkGemm(target, GemmDescriptor(m: 7, n: 19, k: 0, beta: 2, batch: 2), poisonC: false, seed: 37)
        let empty = GemmDescriptor(m: 0, n: 5, k: 3)
        let c = try randomTensor([4], seed: 41, on: target.device)
        let before = try c.toArray()
        try target.gemm(
            empty, a: try Tensor(uninitializedShape: [0], on: target.device),
            b: try randomTensor([15], seed: 43, on: target.device), c: c)
        #expect(try c.toArray() == before)
    }

    @Test(arguments: GemmTarget.openCL)
    func openCLMatchesCPU(target: GemmTarget) throws {
        let d = GemmDescriptor(m: 45, n: 70, k: 99, transposeA: true, alpha: 0.75, beta: -0.5, batch: 2)
        let counts = gemmCounts(d)
        let a = randomValues(counts.a, seed: 47), b = randomValues(counts.b, seed: 48), c = randomValues(counts.c, seed: 49)
        var results: [[Float]] = []
        for device in [CPUDevice.shared as any Device, target.device] {
            let output = try Tensor(c, shape: [counts.c], on: device)
            let run = device === target.device ? target : GemmTarget(device: device, path: nil)
            try run.gemm(d, a: try Tensor(a, shape: [counts.a], on: device), b: try Tensor(b, shape: [counts.b], on: device), c: output)
            results.append(try output.toArray())
        }
        let error = relativeFrobeniusError(results[1], results[0].map(Double.init))
        #expect(error <= 1e-5, "\(target) against cpu: relative Frobenius error \(error)")
    }

    @Test(arguments: GemmTarget.all)
    func tooSmallTensorsAreRejected(target: GemmTarget) throws {
        let d = GemmDescriptor(m: 4, n: 4, k: 4, batch: 2)
        let small = try randomTensor([16], seed: 53, on: target.device)
        let enough = try randomTensor([32], seed: 54, on: target.device)
        #expect(throws: BackendError.self) { try target.gemm(d, a: small, b: enough, c: enough) }
        #expect(throws: BackendError.self) { try target.gemm(d, a: enough, b: enough, c: small) }
    }
}

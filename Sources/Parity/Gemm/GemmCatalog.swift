import Backend

extension ParityCatalog {
    /// GEMM on `path` (where the device offers it, else on its own path): odd shapes in every
    /// transpose, alpha and beta, large magnitudes, strided and shared batches, and an empty
    /// inner dimension.
    public static func gemm(path: GemmPath) -> [ParityCase] {
        GemmCatalog.oddShapes.map { GemmCatalog.oddShape($0, path: path) } + [
            GemmCatalog.alphaAndBeta(path: path), GemmCatalog.largeMagnitudes(path: path),
            GemmCatalog.stridedBatches(path: path), GemmCatalog.emptyInnerDimension(path: path),
            GemmCatalog.randomShapes(path: path),
        ]
    }
}

/// The GEMM cases; each compares the relative Frobenius error of C with 1e-5.
enum GemmCatalog {
    /// `m × n × k`: vectors, one-element dimensions, odd sizes and sizes around tile multiples.
    static let oddShapes: [(m: Int, n: Int, k: Int)] = [
        (1, 1, 1), (1, 17, 3), (3, 1, 33), (17, 33, 1), (33, 17, 65), (65, 127, 3),
        (6, 16, 8), (7, 17, 9), (127, 65, 257), (257, 33, 127), (64, 64, 64),
    ]
    static let transposeCombinations = [(false, false), (true, false), (false, true), (true, true)]

    static func oddShape(_ shape: (m: Int, n: Int, k: Int), path: GemmPath) -> ParityCase {
        let checks = transposeCombinations.enumerated().map { index, transposes in
            check(
                GemmDescriptor(m: shape.m, n: shape.n, k: shape.k, transposeA: transposes.0, transposeB: transposes.1, alpha: 1.25),
                path: path, poisonC: true, seed: UInt64(shape.m * 1000 + shape.k * 10 + index))
        }
        return gemmCase("\(shape.m)x\(shape.n)x\(shape.k)", path: path, checks)
    }

    static func alphaAndBeta(path: GemmPath) -> ParityCase {
        let checks = [(Float(1), Float(1)), (-1.5, 0.75), (0, 2), (0.5, -1)].flatMap { alpha, beta in
            transposeCombinations.map { transposeA, transposeB in
                check(
                    GemmDescriptor(m: 19, n: 35, k: 23, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta),
                    path: path, poisonC: false, seed: 7)
            }
        }
        return gemmCase("alpha beta", path: path, checks)
    }

    static func largeMagnitudes(path: GemmPath) -> ParityCase {
        let checks = transposeCombinations.map { transposeA, transposeB in
            check(
                GemmDescriptor(m: 65, n: 33, k: 129, transposeA: transposeA, transposeB: transposeB, alpha: 0.5, beta: 0.25),
                path: path, range: -1000...1000, poisonC: false, seed: 11)
        }
        return gemmCase("values in ±1000", path: path, checks)
    }

    static func stridedBatches(path: GemmPath) -> ParityCase {
        let m = 17, n = 33, k = 65
        let dense = GemmDescriptor(m: m, n: n, k: k, transposeA: true, batch: 3)
        // Gaps between the matrices: the op must leave them alone.
        let padded = GemmDescriptor(
            m: m, n: n, k: k, transposeB: true, alpha: 2, beta: 0.5, batch: 3,
            strideA: m * k + 5, strideB: k * n + 3, strideC: m * n + 7)
        // One B (stride 0) for every matrix of A.
        let sharedB = GemmDescriptor(m: 5, n: 3, k: 1, batch: 4, strideB: 0)
        let sharedA = GemmDescriptor(m: 9, n: 20, k: 31, transposeA: true, transposeB: true, batch: 2, strideA: 0)
        let checks = [dense, padded, sharedB, sharedA].map { check($0, path: path, poisonC: false, seed: 23) }
            + [check(GemmDescriptor(m: 33, n: 9, k: 17, batch: 5), path: path, poisonC: true, seed: 29)]
        return gemmCase("batched", path: path, checks)
    }

    /// 24 seeded random problems: sizes 1–70, random transposes, alpha, beta and batch counts.
    static func randomShapes(path: GemmPath) -> ParityCase {
        var generator = SeededGenerator(seed: 97)
        let checks = (0..<24).map { round in
            let d = GemmDescriptor(
                m: Int.random(in: 1...70, using: &generator), n: Int.random(in: 1...70, using: &generator),
                k: Int.random(in: 1...70, using: &generator), transposeA: Bool.random(using: &generator),
                transposeB: Bool.random(using: &generator), alpha: Float.random(in: -2...2, using: &generator),
                beta: Bool.random(using: &generator) ? 0 : Float.random(in: -1...1, using: &generator),
                batch: Int.random(in: 1...3, using: &generator))
            return check(d, path: path, poisonC: d.beta == 0, seed: UInt64(100 + round))
        }
        return gemmCase("random shapes", path: path, checks)
    }

    /// `C = beta · C` when k is 0.
    static func emptyInnerDimension(path: GemmPath) -> ParityCase {
        gemmCase("k = 0", path: path, [
            check(GemmDescriptor(m: 7, n: 19, k: 0, alpha: 3), path: path, poisonC: true, seed: 31),
            check(GemmDescriptor(m: 7, n: 19, k: 0, beta: 2, batch: 2), path: path, poisonC: false, seed: 37),
        ])
    }

    static func gemmCase(_ variant: String, path: GemmPath, _ checks: [ParityCheck]) -> ParityCase {
        ParityCase(
            family: "gemm", op: "gemm \(variant) (\(path))", tolerance: 1e-5,
            metric: .relativeFrobenius, checks: checks)
    }

    /// Runs `d` with random A and B and either a NaN-poisoned C (`poisonC`) or a random one.
    static func check(
        _ d: GemmDescriptor, path: GemmPath, range: ClosedRange<Float> = -1...1, poisonC: Bool, seed: UInt64
    ) -> ParityCheck {
        let layout = (d.transposeA ? "Aᵀ" : "A") + (d.transposeB ? "·Bᵀ" : "·B")
        let scaling = "α=\(d.alpha) β=\(d.beta)" + (d.batch > 1 ? " batch \(d.batch)" : "")
        return ParityCheck(shape: "\(d.m)x\(d.n)x\(d.k)", variant: "\(layout) \(scaling)") {
            let counts = GemmReference.counts(d)
            let a = randomValues(counts.a, in: range, seed: seed)
            let b = randomValues(counts.b, in: range, seed: seed + 1)
            let c = poisonC ? [Float](repeating: .nan, count: counts.c) : randomValues(counts.c, in: range, seed: seed + 2)
            return ParityTrial(
                run: { device in
                    let cTensor = try Tensor(c, shape: [counts.c], on: device)
                    try device.gemm(
                        d, a: Tensor(a, shape: [counts.a], on: device), b: Tensor(b, shape: [counts.b], on: device),
                        c: cTensor, preferring: path)
                    return try cTensor.toArray()
                },
                reference: { GemmReference.gemm(d, a: a, b: b, c: c) })
        }
    }
}

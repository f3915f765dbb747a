/// Which implementation the CPU device multiplies matrices with.
enum CPUGemmKernel: Sendable {
    /// Packed blocks and SIMD register tiles (module CPUKernels), spread over all cores.
    case blocked
    /// A plain row loop, for x86-64 CPUs without AVX2 and FMA, which the register kernels use.
    case portable
    /// Eight-column SIMD loops on one core without packing (`CPUGemmSmall.swift`), for batches
    /// of matrices of at most `CPUDevice.smallProductWork` multiply-adds, whatever the CPU.
    case small

    /// The blocked kernels wherever the CPU can run them.
    static let preferred: CPUGemmKernel = {
        #if arch(x86_64)
        CPUInfo.current.hasAVX2AndFMA ? .blocked : .portable
        #else
        .blocked
        #endif
    }()
}

/// One matrix of a (batched) GEMM as host pointers: `C = alpha * op(A) · op(B) + beta * C` with
/// the sizes, flags and scalars of `descriptor`.
struct GemmMatrixOperands {
    var descriptor: GemmDescriptor
    var a: UnsafePointer<Float>
    var b: UnsafePointer<Float>
    var c: UnsafeMutablePointer<Float>
    /// Leading dimensions of A, B (as stored) and C: the descriptor's, unless a part of a larger
    /// matrix is multiplied (a depth range of a split GEMM).
    var lda: Int
    var ldb: Int
    var ldc: Int

    init(descriptor: GemmDescriptor, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) {
        self.descriptor = descriptor
        self.a = a
        self.b = b
        self.c = c
        lda = descriptor.lda
        ldb = descriptor.ldb
        ldc = descriptor.ldc
    }

    var m: Int { descriptor.m }
    var n: Int { descriptor.n }
    var k: Int { descriptor.k }
    var alpha: Float { descriptor.alpha }
    var beta: Float { descriptor.beta }

    /// Element `(i, p)` of op(A).
    func elementA(_ i: Int, _ p: Int) -> Float {
        descriptor.transposeA ? a[p * lda + i] : a[i * lda + p]
    }

    /// Element `(p, j)` of op(B).
    func elementB(_ p: Int, _ j: Int) -> Float {
        descriptor.transposeB ? b[j * ldb + p] : b[p * ldb + j]
    }

    /// The product over the depth range `depth` only, written to `c` (leading dimension `ldc`)
    /// with alpha 1 and beta 0.
    func depthSlice(_ depth: Range<Int>, into c: UnsafeMutablePointer<Float>, ldc: Int) -> GemmMatrixOperands {
        var slice = self
        slice.descriptor.k = depth.count
        slice.descriptor.alpha = 1
        slice.descriptor.beta = 0
        slice.a = a + depth.lowerBound * (descriptor.transposeA ? lda : 1)
        slice.b = b + depth.lowerBound * (descriptor.transposeB ? 1 : ldb)
        slice.c = c
        slice.ldc = ldc
        return slice
    }
}

extension CPUDevice: GemmOps {
    /// Below this many multiply-adds per matrix, a batch runs its matrices in parallel, each on
    /// one core, instead of splitting every matrix over all cores.
    static let batchParallelWork = 1 << 24

    /// The one path of the CPU device: the blocked CPU GEMM (C kernels) or the portable loop.
    public var gemmPaths: [GemmPath] { [.cpu] }
    public var gemmPath: GemmPath { .cpu }

    public func gemm(_ descriptor: GemmDescriptor, a: Tensor, b: Tensor, c: Tensor) throws {
        // A batch of small matrices (the attention's per-head products) would pack every one;
        // a single small matrix keeps the kernels it always had (the LSTM's fused steps match it).
        let small = descriptor.batch > 1 && descriptor.m * descriptor.n * descriptor.k <= Self.smallProductWork
        try gemm(descriptor, a: a, b: b, c: c, kernel: small ? .small : .preferred)
    }

    /// Runs `descriptor` on `.cpu`, the one path the CPU device has.
    public func gemm(_ descriptor: GemmDescriptor, a: Tensor, b: Tensor, c: Tensor, path: GemmPath) throws {
        guard path == .cpu else {
            throw BackendError.invalidArgument(op: "gemm", detail: "the \(path) path does not run on \(identifier); use cpu")
        }
        try gemm(descriptor, a: a, b: b, c: c)
    }

    /// The GEMM with a chosen implementation (tests run both).
    func gemm(_ d: GemmDescriptor, a: Tensor, b: Tensor, c: Tensor, kernel: CPUGemmKernel) throws {
        try d.validate(a: a, b: b, c: c)
        guard c.buffer !== a.buffer, c.buffer !== b.buffer else {
            throw BackendError.invalidArgument(
                op: "gemm", detail: "C shares memory with A or B; the CPU GEMM overwrites C while it reads them")
        }
        guard d.batch == 1 || d.strideC >= d.m * d.n else {
            throw BackendError.invalidArgument(
                op: "gemm", detail: "strideC \(d.strideC) makes the \(d.batch) C matrices of \(d.m)×\(d.n) overlap")
        }
        let baseA = try pointer(a, op: "gemm")
        let baseB = try pointer(b, op: "gemm")
        let baseC = try pointer(c, op: "gemm")
        guard d.m > 0, d.n > 0 else { return }
        func matrix(_ index: Int) -> GemmMatrixOperands {
            GemmMatrixOperands(
                descriptor: d, a: baseA + index * d.strideA, b: baseB + index * d.strideB, c: baseC + index * d.strideC)
        }
        if d.batch >= threadCount, threadCount > 1, d.m * d.n * d.k < Self.batchParallelWork {
            let failure = FirstError()
            parallelFor(d.batch, grain: 1, chunksPerThread: 4) { range in
                do {
                    for index in range { try multiply(matrix(index), kernel: kernel, parallel: false) }
                } catch {
                    failure.record(error)
                }
            }
            try failure.rethrow()
        } else {
            for index in 0..<d.batch { try multiply(matrix(index), kernel: kernel, parallel: true) }
        }
    }

    /// One matrix of the batch, on all cores when `parallel`.
    private func multiply(_ x: GemmMatrixOperands, kernel: CPUGemmKernel, parallel: Bool) throws {
        if x.k == 0 || x.alpha == 0 {
            // op(A)·op(B) adds nothing: C = beta * C, without reading A or B (BLAS semantics).
            scale(x, parallel: parallel)
            return
        }
        switch kernel {
        case .blocked:
            let segments = parallel && threadCount > 1 ? Self.depthSegments(x.descriptor) : 1
            if segments > 1 {
                try splitDepthGemm(x, segments: segments)
            } else {
                try blockedGemm(x, parallel: parallel)
            }
        case .portable: portableGemm(x, parallel: parallel)
        case .small: smallGemm(x)
        }
    }

    /// `C = beta * C`; with `beta == 0`, C becomes zero even where it held NaN.
    private func scale(_ x: GemmMatrixOperands, parallel: Bool) {
        forRanges(x.m, grain: max(1, 16_384 / x.n), parallel: parallel) { rows in
            for i in rows {
                let row = x.c + i * x.ldc
                for j in 0..<x.n { row[j] = x.beta == 0 ? 0 : x.beta * row[j] }
            }
        }
    }

    /// `parallelFor` when `parallel`, else the whole range on the calling thread.
    func forRanges(
        _ count: Int, grain: Int, chunksPerThread: Int = 1, parallel: Bool, _ body: (Range<Int>) -> Void
    ) {
        if parallel {
            parallelFor(count, grain: grain, chunksPerThread: chunksPerThread, body)
        } else if count > 0 {
            body(0..<count)
        }
    }
}

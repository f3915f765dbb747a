/// Which implementation runs a GEMM.
public enum GemmPath: String, CaseIterable, Sendable, Codable {
    /// CLBlast on an OpenCL device (the OpenCL default).
    case clblast
    /// SwiftTune's own tiled OpenCL kernel (the fallback when CLBlast fails).
    case kernel
    /// The CPU GEMM (packing and register kernels in C).
    case cpu
}

/// One (possibly strided-batched) row-major GEMM: `C = alpha * op(A) * op(B) + beta * C`.
///
/// `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is `m × n`. With `transposeA`, A is stored as
/// `k × m`; with `transposeB`, B is stored as `n × k`. Matrix `i` of a batch starts at
/// `i * strideA` (and likewise for B and C).
public struct GemmDescriptor: Sendable, Equatable {
    public var m: Int
    public var n: Int
    public var k: Int
    public var transposeA: Bool
    public var transposeB: Bool
    public var alpha: Float
    public var beta: Float
    public var batch: Int
    public var strideA: Int
    public var strideB: Int
    public var strideC: Int

    /// A GEMM over `batch` densely packed matrices.
    public init(
        m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false,
        alpha: Float = 1, beta: Float = 0, batch: Int = 1,
        strideA: Int? = nil, strideB: Int? = nil, strideC: Int? = nil
    ) {
        self.m = m
        self.n = n
        self.k = k
        self.transposeA = transposeA
        self.transposeB = transposeB
        self.alpha = alpha
        self.beta = beta
        self.batch = batch
        self.strideA = strideA ?? m * k
        self.strideB = strideB ?? k * n
        self.strideC = strideC ?? m * n
    }

    /// Leading dimension of A as stored (row-major).
    public var lda: Int { transposeA ? m : k }
    /// Leading dimension of B as stored (row-major).
    public var ldb: Int { transposeB ? k : n }
    /// Leading dimension of C.
    public var ldc: Int { n }

    /// Multiply-adds times two: the work of the whole batch.
    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) * Double(batch) }

    /// Throws when the sizes are negative or a tensor is too small for the batch it must hold.
    public func validate(a: Tensor, b: Tensor, c: Tensor) throws {
        guard m >= 0, n >= 0, k >= 0, batch >= 1, strideA >= 0, strideB >= 0, strideC >= 0 else {
            throw BackendError.invalidArgument(op: "gemm", detail: "invalid sizes \(self)")
        }
        for (label, tensor, stride, size) in [
            ("A", a, strideA, m * k), ("B", b, strideB, k * n), ("C", c, strideC, m * n),
        ] where size > 0 {
            let needed = (batch - 1) * stride + size
            guard tensor.count >= needed else {
                throw BackendError.shapeMismatch(
                    op: "gemm", detail: "\(label) has \(tensor.count) elements, needs \(needed) for m=\(m) n=\(n) k=\(k) batch=\(batch)")
            }
        }
    }
}

/// Matrix multiplication, on the device's own path or on a chosen one of the paths it offers
/// (benchmarks and parity checks run each).
public protocol GemmOps {
    /// The paths this device runs GEMMs on: `.clblast` and `.kernel` on an OpenCL device, `.cpu`
    /// on the CPU device.
    var gemmPaths: [GemmPath] { get }
    /// The path `gemm(_:a:b:c:)` takes, one of `gemmPaths`.
    var gemmPath: GemmPath { get }
    /// Runs `descriptor` on A, B and C (C is read when `beta != 0`, then overwritten) on `gemmPath`.
    func gemm(_ descriptor: GemmDescriptor, a: Tensor, b: Tensor, c: Tensor) throws
    /// Runs `descriptor` on `path`; a path outside `gemmPaths` is an `invalidArgument` error.
    func gemm(_ descriptor: GemmDescriptor, a: Tensor, b: Tensor, c: Tensor, path: GemmPath) throws
}

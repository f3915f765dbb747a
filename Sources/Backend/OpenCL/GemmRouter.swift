/// The CLBlast routines the OpenCL GEMM calls.
public enum CLBlastRoutine: String, Sendable, CaseIterable {
    /// `CLBlastSgemm`, for a single matrix product.
    case gemm = "CLBlastSgemm"
    /// `CLBlastSgemmStridedBatched`, for a batch.
    case stridedBatchedGemm = "CLBlastSgemmStridedBatched"

    /// The routine that runs `descriptor`.
    public init(for descriptor: GemmDescriptor) {
        self = descriptor.batch == 1 ? .gemm : .stridedBatchedGemm
    }
}

/// Decides which implementation runs each GEMM of an OpenCL device, and remembers CLBlast
/// failures so that a routine that failed once is not tried again in this process.
///
/// A failure is remembered per routine: a CLBlast kernel that does not compile or run on a
/// device fails for every call of that routine, and retrying would pay CLBlast's compile each time.
public struct GemmRouter: Sendable, Equatable {
    /// The path asked for (`.clblast` or `.kernel`).
    public var preferred: GemmPath
    /// The CLBlast status of each routine that failed.
    public private(set) var failures: [CLBlastRoutine: Int32] = [:]

    /// A router that prefers `preferred`; `.cpu` is not an OpenCL path and means `.clblast`.
    public init(preferred: GemmPath) {
        self.preferred = preferred == .cpu ? .clblast : preferred
    }

    /// The path that runs `descriptor` on the preferred path.
    public func path(for descriptor: GemmDescriptor) -> GemmPath {
        path(for: descriptor, preferring: preferred)
    }

    /// The path that runs `descriptor` when `path` is asked for: the own kernel when it is asked
    /// for, when CLBlast cannot take the request (CLBlast rejects a zero dimension, which the
    /// kernel handles as `C = beta * C`), or when the routine has failed before; CLBlast otherwise.
    public func path(for descriptor: GemmDescriptor, preferring path: GemmPath) -> GemmPath {
        guard path != .kernel,
              descriptor.m > 0, descriptor.n > 0, descriptor.k > 0,
              failures[CLBlastRoutine(for: descriptor)] == nil
        else { return .kernel }
        return .clblast
    }

    /// Remembers that `routine` returned `status`; later calls of it take the own kernel.
    public mutating func recordFailure(_ routine: CLBlastRoutine, status: Int32) {
        failures[routine] = status
    }
}

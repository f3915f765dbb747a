import COpenCL
import Foundation

extension OpenCLDevice: GemmOps {
    /// CLBlast and the own kernel.
    public var gemmPaths: [GemmPath] { [.clblast, .kernel] }

    /// Runs `descriptor` on the device's current path (`gemmPath`).
    public func gemm(_ descriptor: GemmDescriptor, a: Tensor, b: Tensor, c: Tensor) throws {
        try gemm(descriptor, a: a, b: b, c: c, path: gemmPath)
    }

    /// Runs `descriptor` on an explicit path. `.clblast` still takes the own kernel when CLBlast
    /// cannot take the request or has failed before (see `GemmRouter`); when CLBlast fails on
    /// this call, the call is redone with the own kernel and the routine is not tried again.
    public func gemm(_ descriptor: GemmDescriptor, a: Tensor, b: Tensor, c: Tensor, path: GemmPath) throws {
        guard path != .cpu else {
            throw BackendError.invalidArgument(op: "gemm", detail: "the cpu path does not run on \(identifier); use clblast or kernel")
        }
        try descriptor.validate(a: a, b: b, c: c)
        for tensor in [a, b, c] { try checkOwnership(tensor, op: "gemm") }
        guard descriptor.m > 0, descriptor.n > 0 else { return }
        let buffers = (
            a: try clBuffer(a.buffer, op: "gemm"), b: try clBuffer(b.buffer, op: "gemm"), c: try clBuffer(c.buffer, op: "gemm"))
        if lock.withLock({ gemmRouter.path(for: descriptor, preferring: path) }) == .clblast {
            let status = lock.withLock { gemmWithCLBlast(descriptor, a: buffers.a, b: buffers.b, c: buffers.c) }
            if status == CLBlastSuccess {
                counting.launch()
                return
            }
            noteCLBlastFailure(CLBlastRoutine(for: descriptor), status: status.rawValue)
        }
        try gemmWithKernel(descriptor, a: buffers.a, b: buffers.b, c: buffers.c)
    }

    /// The path a call of `descriptor` takes now on the device's current path.
    public func effectiveGemmPath(for descriptor: GemmDescriptor) -> GemmPath {
        lock.withLock { gemmRouter.path(for: descriptor) }
    }

    /// The CLBlast routines that failed on this device, with CLBlast's status code.
    public var clblastFailures: [CLBlastRoutine: Int32] {
        lock.withLock { gemmRouter.failures }
    }

    /// The GEMM path a device starts with.
    ///
    /// GPUs take CLBlast, whose database is tuned for them. CPU devices (PoCL) take the own
    /// kernel, which is four times faster there than CLBlast, tuned parameters (`CLBlastTuning`)
    /// included. GFLOP/s, best of repeats (median), PoCL 3.1 on 2 cores of an AMD EPYC (AVX2,
    /// FMA peak about 234), CLBlast 1.5.3, release build, during a quiet spell of a shared machine:
    ///
    /// | size  | own kernel | CLBlast, tuned | CLBlast, default |
    /// |-------|------------|----------------|------------------|
    /// | 256³  | 70 (59)    | 41 (35)        | 8                |
    /// | 512³  | 127 (97)   | 54 (40)        | 10               |
    /// | 1024³ | 176 (168)  | 40 (39)        | 14               |
    /// | 2048³ | 168 (159)  | 32 (30)        | 12               |
    ///
    /// CLBlast also compiles its kernels in every process. PoCL's on-disk kernel cache makes
    /// that cheap from the second run on (+0.1 s), but the first run pays 45 s where the own
    /// kernels take 8 s and then come from the program cache.
    static func defaultGemmPath(for info: OpenCLDeviceInfo) -> GemmPath {
        info.type == "CPU" ? .kernel : .clblast
    }

    /// Remembers that CLBlast's `routine` failed with `status` (later calls take the own kernel)
    /// and says so on standard error the first time.
    func noteCLBlastFailure(_ routine: CLBlastRoutine, status: Int32) {
        let isNew = lock.withLock {
            let isNew = gemmRouter.failures[routine] == nil
            gemmRouter.recordFailure(routine, status: status)
            return isNew
        }
        if isNew {
            let message = "swifttune: \(BackendError.clblast(call: routine.rawValue, status: status)) on \(identifier); "
                + "using SwiftTune's own GEMM kernel for it from now on\n"
            FileHandle.standardError.write(Data(message.utf8))
        }
    }
}

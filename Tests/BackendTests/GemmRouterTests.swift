import Backend
import Testing
import TestSupport

@Suite struct GemmRouterTests {
    let single = GemmDescriptor(m: 8, n: 8, k: 8)
    let batched = GemmDescriptor(m: 8, n: 8, k: 8, batch: 3)

    @Test func preferredKernelAlwaysTakesTheKernel() {
        let router = GemmRouter(preferred: .kernel)
        #expect(router.path(for: single) == .kernel)
        #expect(router.path(for: batched) == .kernel)
        #expect(router.path(for: single, preferring: .clblast) == .clblast)
    }

    @Test func requestsCLBlastRejectsTakeTheKernel() {
        let router = GemmRouter(preferred: .clblast)
        #expect(router.path(for: single) == .clblast)
        #expect(router.path(for: batched) == .clblast)
        #expect(router.path(for: GemmDescriptor(m: 8, n: 8, k: 0)) == .kernel)
        #expect(router.path(for: GemmDescriptor(m: 0, n: 8, k: 8)) == .kernel)
        #expect(router.path(for: GemmDescriptor(m: 8, n: 0, k: 8, batch: 2)) == .kernel)
    }

    @Test func aFailedRoutineIsNotTriedAgain() {
        var router = GemmRouter(preferred: .clblast)
        router.recordFailure(.stridedBatchedGemm, status: -11)
        #expect(router.path(for: batched) == .kernel)
        #expect(router.path(for: single) == .clblast)
        #expect(router.failures == [.stridedBatchedGemm: -11])
        router.recordFailure(.gemm, status: -2046)
        #expect(router.path(for: single) == .kernel)
    }

    @Test func cpuIsNotAnOpenCLPath() {
        #expect(GemmRouter(preferred: .cpu).preferred == .clblast)
    }

    @Test(arguments: TestDevice.openCL)
    func tunedParametersAreAcceptedAndNothingFailed(test: TestDevice) throws {
        let device = try #require(test.device as? OpenCLDevice)
        #expect(device.clblastTuningRefusals.isEmpty, "CLBlast refused tuned parameters: \(device.clblastTuningRefusals)")
        #expect(device.effectiveGemmPath(for: GemmDescriptor(m: 4, n: 4, k: 0)) == .kernel)
        let d = GemmDescriptor(m: 40, n: 24, k: 16, batch: 2)
        let c = try poisonedTensor([2 * 40 * 24], on: device)
        try device.gemm(
            d, a: try randomTensor([2 * 40 * 16], seed: 1, on: device), b: try randomTensor([2 * 16 * 24], seed: 2, on: device),
            c: c, path: .clblast)
        #expect(device.clblastFailures.isEmpty, "CLBlast failed: \(device.clblastFailures)")
        #expect(try c.toArray().allSatisfy(\.isFinite))
    }
}

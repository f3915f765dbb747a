import Backend
import Testing
import TestSupport

/// A device and one of its GEMM paths (CLBlast and the own kernel on OpenCL).
struct GemmTarget: Sendable, CustomStringConvertible {
    let device: any Device
    let path: GemmPath

    var description: String { "\(device.identifier) \(path)" }

    static let all: [GemmTarget] = TestDevice.all.flatMap { test in
        test.device.gemmPaths.map { GemmTarget(device: test.device, path: $0) }
    }

    static let openCL = all.filter { $0.device.kind == .opencl }

    func gemm(_ descriptor: GemmDescriptor, a: Tensor, b: Tensor, c: Tensor) throws {
        try device.gemm(descriptor, a: a, b: b, c: c, path: path)
    }
}

/// GEMM beyond its parity cases (`ParityCatalog.gemm(path:)`, run by `ParityTests` on every
/// device and path).
@Suite struct GemmTests {
    @Test(arguments: GemmTarget.all)
    func emptyOutputIsLeftAlone(target: GemmTarget) throws {
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
        let counts = GemmReference.counts(d)
        let a = randomValues(counts.a, seed: 47), b = randomValues(counts.b, seed: 48), c = randomValues(counts.c, seed: 49)
        var results: [[Float]] = []
        for device in [CPUDevice.shared as any Device, target.device] {
            let output = try Tensor(c, shape: [counts.c], on: device)
            let run = device === target.device ? target : GemmTarget(device: device, path: .cpu)
            try run.gemm(d, a: try Tensor(a, shape: [counts.a], on: device), b: try Tensor(b, shape: [counts.b], on: device), c: output)
            results.append(try output.toArray())
        }
        let error = relativeFrobeniusError(results[1], results[0].map(Double.init))
        #expect(error <= 1e-5, "\(target) against cpu: relative Frobenius error \(error)")
    }

    @Test(arguments: TestDevice.all)
    func devicesRunTheirOwnPathsOnly(test: TestDevice) throws {
        let device = test.device
        #expect(device.gemmPaths == (device.kind == .opencl ? [.clblast, .kernel] : [.cpu]))
        #expect(device.gemmPaths.contains(device.gemmPath))
        let d = GemmDescriptor(m: 2, n: 2, k: 2)
        let a = try randomTensor([4], seed: 55, on: device), b = try randomTensor([4], seed: 56, on: device)
        let c = try randomTensor([4], seed: 57, on: device)
        for path in GemmPath.allCases where !device.gemmPaths.contains(path) {
            #expect(throws: BackendError.self, "\(path) on \(device.identifier)") { try device.gemm(d, a: a, b: b, c: c, path: path) }
        }
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

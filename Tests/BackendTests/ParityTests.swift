import Backend
import Parity
import Testing
import TestSupport

/// One device and one parity case, named by both in test output.
struct DeviceCase: Sendable, CustomTestStringConvertible {
    let device: TestDevice
    let parityCase: ParityCase

    var testDescription: String { "\(device) \(parityCase.family) \(parityCase.op)" }

    /// Every case of every family on every device: the list `swifttune selftest` runs
    /// (`ParityCatalog.cases(for:)`, both GEMM paths on OpenCL).
    static let all: [DeviceCase] = TestDevice.all.flatMap { device in
        ParityCatalog.cases(for: device.device).map { DeviceCase(device: device, parityCase: $0) }
    }
}

/// Every backend op of every family, forward and backward, against its Double reference on
/// every device, and each OpenCL device's results against the CPU path's.
@Suite struct ParityTests {
    @Test(arguments: DeviceCase.all)
    func matchesTheReference(_ pair: DeviceCase) {
        expectParity(pair.parityCase, on: pair.device.device)
    }

    @Test(arguments: DeviceCase.all.filter { $0.device.device.kind == .opencl })
    func agreesWithTheCPU(_ pair: DeviceCase) {
        expectAgreementWithTheCPU(pair.parityCase, on: pair.device.device)
    }
}

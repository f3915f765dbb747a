import Backend
import Parity
import Testing
import TestSupport

/// The fused batch norm beyond `ParityTests`: its parity cases on their own (so
/// `--filter NormalizationTests` runs them) and its shape checks.
@Suite struct NormalizationTests {
    @Test(arguments: TestDevice.all)
    func matchesTheReference(device: TestDevice) {
        for parityCase in ParityCatalog.normalization { expectParity(parityCase, on: device.device) }
    }

    @Test(arguments: TestDevice.openCL)
    func agreesWithTheCPU(device: TestDevice) {
        for parityCase in ParityCatalog.normalization { expectAgreementWithTheCPU(parityCase, on: device.device) }
    }

    @Test(arguments: TestDevice.all)
    func rejectsTensorsOfOtherSizes(device: TestDevice) throws {
        let d = device.device
        let input = try Tensor(repeating: 1, shape: [2, 3, 4], on: d)
        let three = try Tensor(repeating: 1, shape: [3], on: d), two = try Tensor(repeating: 1, shape: [2], on: d)
        let output = try Tensor(repeating: 0, shape: [2, 3, 4], on: d), short = try Tensor(repeating: 0, shape: [2, 3, 3], on: d)
        #expect(throws: BackendError.self) {
            try d.batchNorm(input, gamma: two, beta: three, epsilon: 1e-5, into: output, mean: three, variance: three)
        }
        #expect(throws: BackendError.self) {
            try d.batchNorm(input, gamma: three, beta: three, epsilon: 1e-5, into: short, mean: three, variance: three)
        }
        #expect(throws: BackendError.self) {
            try d.batchNorm(try Tensor(repeating: 1, shape: [6], on: d), gamma: three, beta: three, epsilon: 1e-5, into: output,
                            mean: three, variance: three)
        }
    }
}

import Backend
import Parity
import Testing
import TestSupport

@Suite struct LayoutTests {
    @Test(arguments: TestDevice.all)
    func permuteMatchesTheReference(device: TestDevice) {
        for parityCase in ParityCatalog.layout { expectParity(parityCase, on: device.device) }
    }

    @Test(arguments: TestDevice.openCL)
    func permuteAgreesWithTheCPU(device: TestDevice) {
        for parityCase in ParityCatalog.layout { expectAgreementWithTheCPU(parityCase, on: device.device) }
    }

    @Test(arguments: TestDevice.all)
    func permutedTransposesAMatrix(device: TestDevice) throws {
        let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3], on: device.device)
        let y = try x.permuted([1, 0])
        #expect(y.shape == [3, 2])
        #expect(try y.toArray() == [1, 4, 2, 5, 3, 6])
    }

    @Test(arguments: TestDevice.all)
    func permuteRejectsBadCalls(device: TestDevice) throws {
        let x = try Tensor(repeating: 1, shape: [2, 3], on: device.device)
        #expect(throws: BackendError.self) { try x.permuted([0, 0]) }
        #expect(throws: BackendError.self) { try x.permuted([1]) }
        #expect(throws: BackendError.self) { try device.device.permute(x, axes: [1, 0], into: x) }
        let wrong = try Tensor(repeating: 0, shape: [5], on: device.device)
        #expect(throws: BackendError.self) { try device.device.permute(x, axes: [1, 0], into: wrong) }
        let nine = try Tensor(repeating: 1, shape: Array(repeating: 2, count: 9), on: device.device)
        #expect(throws: BackendError.self) { try nine.permuted(Array((0..<9).reversed())) }
    }
}

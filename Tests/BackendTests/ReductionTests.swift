@testable import Backend
import Foundation
import Testing
import TestSupport

/// Reductions and softmax beyond their parity cases (`ParityCatalog.reduction`, run by `ParityTests`).
@Suite struct ReductionTests {
    /// OpenCL kernels spread rows over work-items one way on CPUs and another on GPUs: check the
    /// way this device does not use by default, too.
    @Test(arguments: TestDevice.openCL)
    func otherWorkLayoutMatchesReference(device: TestDevice) throws {
        let twin = try #require(try privateTwin(of: device.device) as? OpenCLDevice)
        twin.prefersContiguousWork.toggle()
        for parityCase in ParityCatalog.reduction { expectParity(parityCase, on: twin) }
    }

    @Test(arguments: TestDevice.all)
    func argmaxKeepsTheFirstOfEqualMaxima(device: TestDevice) throws {
        var values = [Float](repeating: -1, count: 70_001)
        for position in [5, 40_000, 70_000] { values[position] = 3 }
        let x = try Tensor(values, shape: [70_001], on: device.device)
        #expect(try x.argmax().item() == 5)
        let rows = try Tensor([1, 4, 4, 2, 9, 9], shape: [2, 3], on: device.device)
        #expect(try rows.argmax(axis: 1).toArray() == [1, 1])
    }

    @Test(arguments: TestDevice.all)
    func emptyAxesSumToZeroAndRefuseTheRest(device: TestDevice) throws {
        let empty = try Tensor([], shape: [3, 0], on: device.device)
        #expect(try empty.sum(axis: 1).toArray() == [0, 0, 0])
        #expect(try empty.sum(axis: 0).toArray() == [])
        #expect(throws: BackendError.self) { try empty.max(axis: 1) }
        #expect(throws: BackendError.self) { try empty.mean() }
    }

    @Test(arguments: TestDevice.all)
    func softmaxOfHugeLogitsStaysFinite(device: TestDevice) throws {
        let x = try Tensor([1e3, -1e3, 999, 0, 3e38, -3e38], shape: [2, 3], on: device.device)
        let first: Double = 1 / (1 + Foundation.exp(-1))
        expectClose(try x.softmax().toArray(), [first, 0, 1 - first, 0, 1, 0], tolerance: 1e-6)
        let logits = try Tensor([1e3, -1e3, 999], shape: [3], on: device.device)
        let shift = Foundation.log(1 + Foundation.exp(-1.0))
        expectClose(try logits.logSoftmax().toArray(), [-shift, -2000 - shift, -1 - shift], tolerance: 1e-6)
    }

    // MARK: convenience API and errors

    @Test(arguments: TestDevice.all)
    func conveniencesDropTheReducedAxis(device: TestDevice) throws {
        let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3], on: device.device)
        #expect(try x.sum(axis: 0).toArray() == [5, 7, 9])
        #expect(try x.sum(axis: -1).shape == [2])
        #expect(try x.sum().shape == [])
        #expect(try x.sum().item() == 21)
        #expect(try x.mean().item() == 3.5)
        #expect(try x.max(axis: 1).toArray() == [3, 6])
        #expect(try x.argmax(axis: 0).toArray() == [1, 1, 1])
        let rowSums = try x.softmax(axis: 1).sum(axis: 1).toArray()
        expectClose(rowSums, [1.0, 1.0], tolerance: 1e-6)
        #expect(try x.logSoftmax().shape == [2, 3])
    }

    @Test(arguments: TestDevice.all)
    func badAxesAndOutputsThrowNamingTheOp(device: TestDevice) throws {
        let on = device.device
        let x = try randomTensor([3, 4], seed: 3, on: on)
        #expect(throws: BackendError.invalidArgument(op: "sum", detail: "axis 2 out of range for shape [3, 4]")) {
            try x.sum(axis: 2)
        }
        let error = #expect(throws: BackendError.self) { try on.reduce(.max, x, axis: 0, into: x) }
        #expect(error.map { "\($0)" }?.contains("max") == true)
        #expect(throws: BackendError.self) { try on.softmax(x, axis: -3, log: false, into: x) }
        #expect(throws: BackendError.self) {
            try on.softmaxBackward(output: x, gradOutput: randomTensor([4], seed: 1, on: on), axis: 0, log: true, into: x)
        }
    }
}

import Backend
import Foundation
import Testing
import TestSupport

/// Elementwise ops beyond their parity cases (`ParityCatalog.elementwise`, run by `ParityTests`).
@Suite struct ElementwiseTests {
    @Test(arguments: TestDevice.all)
    func unaryWorksInPlace(device: TestDevice) throws {
        let values = cachedRandomValues(1000, seed: 7)
        let x = try Tensor(values, shape: [1000], on: device.device)
        try device.device.unary(.sigmoid, x, into: x)
        expectClose(try x.toArray(), values.map { ElementwiseReference.unary(.sigmoid, Double($0)) }, tolerance: 1e-4)
    }

    @Test(arguments: TestDevice.all)
    func zerosAndRepeatingFill(device: TestDevice) throws {
        #expect(try Tensor.zeros([3, 1, 5], on: device.device).toArray() == [Float](repeating: 0, count: 15))
        #expect(try Tensor(repeating: 2, shape: [257], on: device.device).toArray() == [Float](repeating: 2, count: 257))
    }

    // MARK: convenience API and errors

    @Test(arguments: TestDevice.all)
    func operatorsAllocateBroadcastOutputs(device: TestDevice) throws {
        let on = device.device
        let a = try Tensor([1, 2, 3], shape: [3, 1], on: on)
        let b = try Tensor([10, 20, 30, 40], shape: [1, 4], on: on)
        let sum = try a + b
        #expect(sum.shape == [3, 4])
        #expect(try sum.toArray() == [11, 21, 31, 41, 12, 22, 32, 42, 13, 23, 33, 43])
        #expect(try (a * b).toArray()[5] == 40)
        #expect(try (a - 2).toArray() == [-1, 0, 1])
        #expect(try (2 - a).toArray() == [1, 0, -1])
        #expect(try (a / 2).toArray() == [0.5, 1, 1.5])
        #expect(try (6 / a).toArray() == [6, 3, 2])
        #expect(try (-a).toArray() == [-1, -2, -3])
        #expect(try (a * 2 + 1).toArray() == [3, 5, 7])
        #expect(try Tensor([-1, 0.5], shape: [2], on: on).relu().toArray() == [0, 0.5])
        #expect(try Tensor([-1, 2], shape: [2], on: on).applying(.square).toArray() == [1, 4])
        let bias = try Tensor([0.5, -5], shape: [2], on: on)
        #expect(try Tensor([1, 2], shape: [1, 2], on: on).addingBias(bias, activation: .relu).toArray() == [1.5, 0])
    }

    @Test(arguments: TestDevice.all)
    func mismatchedShapesThrowNamingTheOp(device: TestDevice) throws {
        let on = device.device
        let a = try randomTensor([3], seed: 1, on: on)
        let b = try randomTensor([4], seed: 2, on: on)
        #expect(throws: BackendError.shapeMismatch(op: "add", detail: "shapes [3] and [4] do not broadcast")) { try a + b }
        let error = #expect(throws: BackendError.self) { try on.unary(.relu, a, into: b) }
        #expect(error.map { "\($0)" }?.contains("relu") == true)
        #expect(throws: BackendError.self) { try on.binary(.mul, a, a, into: b) }
        #expect(throws: BackendError.self) { try on.biasActivation(a, bias: b, activation: .relu, into: a) }
        #expect(throws: BackendError.self) { try on.unaryBackward(.tanh, input: a, gradOutput: b, into: a) }
    }
}

import Backend
import NN
import TestSupport
import Testing

/// A reshape or an add hands its output's gradient on to its input without a copy only when
/// nothing but the tape holds the output: a variable the caller keeps still reads its own
/// gradient after later ops added into the input's.
@Suite struct GradientHandOverTests {
    /// `loss = Σ reshape(x) + Σ (x · 3)`, the reshape recorded last so its backward runs first and
    /// the product's gradient is added into `x`'s afterwards.
    func run(keepingTheReshape: Bool, on device: any Device) throws -> (x: [Float], reshaped: [Float]?) {
        let x = Variable(try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3], on: device), requiresGrad: true, name: "x")
        let three = Variable(try Tensor(repeating: 3, shape: [2, 3], on: device))
        let tape = Tape()
        let product = try tape.mul(x, three)
        var reshaped: Variable? = try tape.reshape(x, to: [3, 2])
        let loss = try tape.add(tape.sum(try #require(reshaped)), tape.sum(product))
        let kept = keepingTheReshape ? reshaped : nil
        reshaped = nil
        try tape.backward(loss)
        return (try #require(x.grad).toArray(), try kept.map { try #require($0.grad).toArray() })
    }

    @Test(arguments: TestDevice.all)
    func aKeptOutputKeepsItsOwnGradient(device: TestDevice) throws {
        let kept = try run(keepingTheReshape: true, on: device.device)
        #expect(kept.x == [Float](repeating: 4, count: 6))
        #expect(kept.reshaped == [Float](repeating: 1, count: 6))
        let released = try run(keepingTheReshape: false, on: device.device)
        #expect(released.x == kept.x)
    }
}

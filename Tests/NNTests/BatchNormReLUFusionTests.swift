import Backend
import NN
import Parity
import TestSupport
import Testing

/// A graph runs a batch norm read only by a ReLU node as one fused op (`Tape.batchNorm`'s
/// `relu`); it must give what the two layers give one after the other.
@Suite struct BatchNormReLUFusionTests {
    /// input → dense a → bn → relu (fused) → bn2 → relu2, with bn2 also read by the sum (not
    /// fused) → head.
    static func layers(on device: any Device) throws -> (graph: Graph, unfused: (Variable, Tape) throws -> Variable) {
        let a = try Dense(inputs: 4, outputs: 6, seed: 1, on: device)
        let bn = try BatchNorm(channels: 6, spatial: false, on: device)
        let bn2 = try BatchNorm(channels: 6, spatial: false, on: device)
        let head = try Dense(inputs: 6, outputs: 3, seed: 2, on: device)
        let graph = try Graph([
            .init("a", .layer(a), inputs: ["input"]),
            .init("bn", .layer(bn), inputs: ["a"]),
            .init("relu", .layer(Activation(.relu)), inputs: ["bn"]),
            .init("bn2", .layer(bn2), inputs: ["relu"]),
            .init("relu2", .layer(Activation(.relu)), inputs: ["bn2"]),
            .init("sum", .add, inputs: ["bn2", "relu2"]),
            .init("head", .layer(head), inputs: ["sum"]),
        ])
        let unfused = { (input: Variable, tape: Tape) throws -> Variable in
            let first = try tape.apply(.relu, bn.forward(a.forward(input, tape: tape), tape: tape))
            let second = try bn2.forward(first, tape: tape)
            return try head.forward(tape.add(second, tape.apply(.relu, second)), tape: tape)
        }
        return (graph, unfused)
    }

    /// The output, then the gradients of the input and of every parameter, for a weighted sum of
    /// the output; and the number of ops the tape recorded.
    static func pass(
        _ forward: (Variable, Tape) throws -> Variable, input: Tensor, weights: Tensor, parameters: [Variable]
    ) throws -> (values: [[Float]], ops: Int) {
        for parameter in parameters { parameter.zeroGrad() }
        let tape = Tape()
        let x = Variable(input, requiresGrad: true)
        let output = try forward(x, tape)
        let ops = tape.count
        try tape.backward(tape.sum(tape.mul(output, Variable(weights))))
        let gradients = try ([x] + parameters).map { try #require($0.grad).toArray() }
        return ([try output.value.toArray()] + gradients, ops)
    }

    @Test(arguments: TestDevice.all)
    func fusedGraphMatchesTheLayersOneAfterTheOther(device: TestDevice) throws {
        let d = device.device
        let (graph, unfused) = try Self.layers(on: d)
        let input = try randomTensor([5, 4], in: -2...2, seed: 3, on: d), weights = try randomTensor([5, 3], seed: 4, on: d)
        let fused = try Self.pass({ try graph.forward($0, tape: $1) }, input: input, weights: weights, parameters: graph.parameters)
        let reference = try Self.pass(unfused, input: input, weights: weights, parameters: graph.parameters)
        // The first pair runs as one op; bn2, read by the sum too, keeps its own ReLU.
        #expect(fused.ops == reference.ops - 1)
        for (got, expected) in zip(fused.values, reference.values) {
            #expect(got.count == expected.count)
            for (g, e) in zip(got, expected) { #expect(abs(g - e) <= 1e-5 * max(1, abs(e))) }
        }
    }

    @Test(arguments: TestDevice.all)
    func fusedTapeOpMatchesBatchNormThenReLU(device: TestDevice) throws {
        let d = device.device
        let gamma = Variable(try randomTensor([3], in: 0.5...2, seed: 5, on: d), requiresGrad: true)
        let beta = Variable(try randomTensor([3], seed: 6, on: d), requiresGrad: true)
        let input = try randomTensor([4, 3, 7], in: -2...3, seed: 7, on: d), weights = try randomTensor([4, 3, 7], seed: 8, on: d)
        let fused = try Self.pass(
            { try $1.batchNorm($0, gamma: gamma, beta: beta, epsilon: 1e-5, relu: true).output }, input: input,
            weights: weights, parameters: [gamma, beta])
        let reference = try Self.pass(
            { try $1.apply(.relu, $1.batchNorm($0, gamma: gamma, beta: beta, epsilon: 1e-5).output) }, input: input,
            weights: weights, parameters: [gamma, beta])
        #expect(fused.ops == 1 && reference.ops == 2)
        for (got, expected) in zip(fused.values, reference.values) {
            #expect(got.count == expected.count)
            for (g, e) in zip(got, expected) { #expect(abs(g - e) <= 1e-5 * max(1, abs(e))) }
        }
    }
}

import Backend
import Foundation
import NN
import Parity
import TestSupport
import Testing

/// Embedding, LSTM and GRU layers: forward against a Double reference on the host, and
/// gradients against central differences, on every device.
@Suite struct SequenceLayerTests {
    @Test(arguments: TestDevice.all)
    func embeddingLooksUpRowsAndSkipsThePaddingRow(device: TestDevice) throws {
        let layer = try Embedding(vocabulary: 6, dimension: 3, paddingIndex: 0, seed: 1, on: device.device)
        let table = try layer.weight.value.toArray()
        #expect(Array(table[0..<3]) == [0, 0, 0])
        let ids: [Float] = [1, 2, 0, 2, 5, 1, 1, 3]
        let tape = Tape()
        let output = try layer.forward(Variable(Tensor(ids, shape: [2, 4], on: device.device)), tape: tape)
        #expect(output.shape == [2, 4, 3])
        #expect(try output.value.toArray() == ids.flatMap { table[Int($0) * 3..<Int($0) * 3 + 3] })
        try tape.backward(tape.sum(output))
        let gradient = try #require(try layer.weight.grad?.toArray())
        // Each row's gradient counts its tokens; the padding row gets none.
        let counts: [Float] = [0, 3, 2, 1, 0, 1]
        #expect(gradient == counts.flatMap { [$0, $0, $0] })
    }

    @Test(arguments: TestDevice.all)
    func embeddingGradient(device: TestDevice) throws {
        let layer = try Embedding(vocabulary: 5, dimension: 3, seed: 2, on: device.device)
        var check = GradientCheck(forward: { try layer.forward($0, tape: $1) }, parameters: layer.parameters)
        check.checksInput = false
        try check.run(input: Tensor([4, 1, 1, 0, 3, 1], shape: [2, 3], on: device.device), seed: 3)
    }

    @Test(arguments: TestDevice.all, [false, true])
    func lstmMatchesTheReference(device: TestDevice, returnSequences: Bool) throws {
        let layer = try LSTM(inputs: 3, hidden: 4, returnSequences: returnSequences, seed: 4, on: device.device)
        let input = try randomTensor([2, 5, 3], seed: 5, on: device.device)
        let output = try layer.forward(Variable(input), tape: .inference())
        let reference = try RecurrentReference(layer.parameters, gates: 4)
            .run(input.toArray().map(Double.init), batch: 2, steps: 5, lstm: true)
        #expect(output.shape == (returnSequences ? [2, 5, 4] : [2, 4]))
        expectClose(try output.value.toArray(), returnSequences ? reference.all : reference.last, tolerance: 1e-5, "LSTM output")
    }

    @Test(arguments: TestDevice.all, [false, true])
    func gruMatchesTheReference(device: TestDevice, returnSequences: Bool) throws {
        let layer = try GRU(inputs: 3, hidden: 4, returnSequences: returnSequences, seed: 6, on: device.device)
        let input = try randomTensor([2, 5, 3], seed: 7, on: device.device)
        let output = try layer.forward(Variable(input), tape: .inference())
        let reference = try RecurrentReference(layer.parameters, gates: 3)
            .run(input.toArray().map(Double.init), batch: 2, steps: 5, lstm: false)
        #expect(output.shape == (returnSequences ? [2, 5, 4] : [2, 4]))
        expectClose(try output.value.toArray(), returnSequences ? reference.all : reference.last, tolerance: 1e-5, "GRU output")
    }

    @Test(arguments: TestDevice.all, [false, true])
    func lstmGradient(device: TestDevice, learnedState: Bool) throws {
        let layer = try LSTM(inputs: 3, hidden: 4, returnSequences: !learnedState, learnedInitialState: learnedState, seed: 8, on: device.device)
        if let state = layer.initialState {
            try state.h.value.assign(randomValues(4, seed: 9))
            try state.c.value.assign(randomValues(4, seed: 10))
        }
        let check = GradientCheck(forward: { try layer.forward($0, tape: $1) }, parameters: layer.parameters)
        try check.run(input: randomTensor([2, 3, 3], seed: 11, on: device.device), seed: 12)
    }

    @Test(arguments: TestDevice.all, [false, true])
    func gruGradient(device: TestDevice, learnedState: Bool) throws {
        let layer = try GRU(inputs: 3, hidden: 4, returnSequences: !learnedState, learnedInitialState: learnedState, seed: 13, on: device.device)
        if let state = layer.initialState { try state.value.assign(randomValues(4, seed: 14)) }
        let check = GradientCheck(forward: { try layer.forward($0, tape: $1) }, parameters: layer.parameters)
        try check.run(input: randomTensor([2, 3, 3], seed: 15, on: device.device), seed: 16)
    }

    @Test(arguments: TestDevice.all)
    func givenInitialStatesGetGradients(device: TestDevice) throws {
        let lstm = try LSTM(inputs: 3, hidden: 2, seed: 17, on: device.device)
        let gru = try GRU(inputs: 3, hidden: 2, returnSequences: true, seed: 18, on: device.device)
        func state(_ seed: UInt64, _ name: String) throws -> Variable {
            Variable(try randomTensor([2, 2], seed: seed, on: device.device), requiresGrad: true, name: name)
        }
        let (h, c, g) = (try state(19, "lstm h"), try state(20, "lstm c"), try state(21, "gru h"))
        let check = GradientCheck(
            forward: { x, tape in
                let first = try lstm.run(x, from: LSTMState(h: h, c: c), tape: tape)
                let second = try gru.run(x, from: g, tape: tape)
                return try tape.concat([first.output, first.state.c, tape.reshape(second.output, to: [2, 6])], axis: 1)
            },
            parameters: lstm.parameters + gru.parameters + [h, c, g])
        try check.run(input: randomTensor([2, 3, 3], seed: 22, on: device.device), seed: 23)
    }

    @Test(arguments: TestDevice.all)
    func embeddingIntoLSTMIntoDense(device: TestDevice) throws {
        let model = Sequential([
            try Embedding(vocabulary: 7, dimension: 3, seed: 24, on: device.device),
            try LSTM(inputs: 3, hidden: 4, seed: 25, on: device.device),
            try Dense(inputs: 4, outputs: 2, seed: 26, on: device.device),
        ])
        #expect(try model.outputShape(for: [5]) == [2])
        var check = GradientCheck(forward: { try model.forward($0, tape: $1) }, parameters: model.parameters)
        check.checksInput = false
        try check.run(input: Tensor([0, 0, 3, 6, 2, 1, 4, 4, 5, 2], shape: [2, 5], on: device.device), seed: 27)
    }

    @Test(arguments: TestDevice.all)
    func splitCutsAlongAnAxisAndGathersGradientsOfUsedParts(device: TestDevice) throws {
        let input = try randomTensor([2, 5, 3], seed: 29, on: device.device)
        let parts = try Tape.inference().split(Variable(input), axis: 1, sizes: [1, 3, 1])
        #expect(parts.map(\.shape) == [[2, 1, 3], [2, 3, 3], [2, 1, 3]])
        let values = try input.toArray()
        #expect(try parts[1].value.toArray() == Array(values[3..<12] + values[18..<27]))
        // The last part is left unused: its share of the input's gradient is zero.
        let check = GradientCheck(
            forward: { x, tape in
                let cut = try tape.split(x, axis: 1, sizes: [1, 3, 1])
                return try tape.concat([tape.mul(cut[1], cut[1]), cut[0]], axis: 1)
            },
            parameters: [])
        try check.run(input: input, seed: 30)
        #expect(throws: BackendError.self) { try Tape.inference().split(Variable(input), axis: 1, sizes: [2, 2]) }
    }

    @Test func badInputsAreNamed() throws {
        let device = CPUDevice.shared
        let lstm = try LSTM(inputs: 3, hidden: 2, seed: 28, on: device)
        #expect(throws: BackendError.self) { try lstm.outputShape(for: [4, 5]) }
        #expect(throws: BackendError.self) { try lstm.forward(Variable(Tensor.zeros([2, 4, 5], on: device)), tape: .inference()) }
        #expect(throws: BackendError.self) { try Embedding(vocabulary: 3, dimension: 2, paddingIndex: 3, seed: 0, on: device) }
        #expect(throws: BackendError.self) { try GRU(inputs: 3, hidden: 0, seed: 0, on: device) }
    }
}

/// LSTM and GRU forward passes in Double on the host, from a layer's parameters (weight_ih
/// `[inputs, gates·hidden]`, weight_hh, bias_ih, bias_hh), starting from zeros.
struct RecurrentReference {
    let weightIH: [Double], weightHH: [Double], biasIH: [Double], biasHH: [Double]
    let inputs: Int, hidden: Int

    init(_ parameters: [Variable], gates: Int) throws {
        let values = try parameters.prefix(4).map { try $0.value.toArray().map(Double.init) }
        (weightIH, weightHH, biasIH, biasHH) = (values[0], values[1], values[2], values[3])
        hidden = biasIH.count / gates
        inputs = weightIH.count / biasIH.count
    }

    /// `x · W + b` for a row `x` and `W` of `[x.count, b.count]`.
    private func affine(_ x: [Double], _ w: [Double], _ b: [Double]) -> [Double] {
        let width = b.count
        return (0..<width).map { j in
            var sum = b[j]
            for i in x.indices { sum += x[i] * w[i * width + j] }
            return sum
        }
    }

    private func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// Every step's output (`[batch, steps, hidden]`) and the last step's (`[batch, hidden]`).
    func run(_ x: [Double], batch: Int, steps: Int, lstm: Bool) -> (all: [Double], last: [Double]) {
        var all: [Double] = [], last: [Double] = []
        let H = hidden
        for b in 0..<batch {
            var h = [Double](repeating: 0, count: H), c = h
            for t in 0..<steps {
                let xt = Array(x[(b * steps + t) * inputs..<(b * steps + t + 1) * inputs])
                let gx = affine(xt, weightIH, biasIH), gh = affine(h, weightHH, biasHH)
                if lstm {
                    let g = zip(gx, gh).map(+)
                    for j in 0..<H {
                        c[j] = sigmoid(g[H + j]) * c[j] + sigmoid(g[j]) * tanh(g[2 * H + j])
                        h[j] = sigmoid(g[3 * H + j]) * tanh(c[j])
                    }
                } else {
                    for j in 0..<H {
                        let r = sigmoid(gx[j] + gh[j]), z = sigmoid(gx[H + j] + gh[H + j])
                        let n = tanh(gx[2 * H + j] + r * gh[2 * H + j])
                        h[j] = (1 - z) * n + z * h[j]
                    }
                }
                all += h
            }
            last += h
        }
        return (all, last)
    }
}

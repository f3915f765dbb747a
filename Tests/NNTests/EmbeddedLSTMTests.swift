import Backend
@testable import NN
import Parity
import TestSupport
import Testing

/// An embedding then an LSTM in a `Sequential` run as one projection of the table
/// (`EmbeddedLSTM`): the same output and gradients as the layers run one after the other.
@Suite struct EmbeddedLSTMTests {
    /// 12 tokens over a vocabulary of 5 (the projected table is used on the CPU) with a padding
    /// id, a learned initial state and every step's output; with an id outside the table, or on
    /// OpenCL, the layers run one after the other.
    @Test(arguments: TestDevice.all, [false, true])
    func matchesTheLayersRunOneAfterTheOther(device: TestDevice, outsideID: Bool) throws {
        let embedding = try Embedding(vocabulary: 5, dimension: 3, paddingIndex: 0, seed: 41, on: device.device)
        let lstm = try LSTM(inputs: 3, hidden: 4, returnSequences: true, learnedInitialState: true, seed: 42, on: device.device)
        let model = Sequential([embedding, lstm])
        let ids = Variable(try Tensor([0, 1, 4, 4, 2, 0, 3, outsideID ? 7 : 3, 1, 0, 2, 3], shape: [3, 4], on: device.device))
        let projected = !outsideID && device.device is CPUDevice
        #expect(try (EmbeddedLSTM.forward(ids, embedding: embedding, lstm: lstm, tape: .inference()) == nil) == !projected)
        let upstream = try Tensor(randomValues(3 * 4 * 4, seed: 43), shape: [3, 4, 4], on: device.device)
        func run(fused: Bool) throws -> [[Float]] {
            let tape = Tape()
            let output = try fused ? model.forward(ids, tape: tape) : lstm.forward(embedding.forward(ids, tape: tape), tape: tape)
            try tape.backward(tape.sum(tape.mul(output, Variable(upstream))))
            let gradients = try model.parameters.map { parameter in try #require(parameter.grad).toArray() }
            for parameter in model.parameters { parameter.zeroGrad() }
            return [try output.value.toArray()] + gradients
        }
        let (fused, separate) = (try run(fused: true), try run(fused: false))
        #expect(fused.count == separate.count)
        for (index, (got, want)) in zip(fused, separate).enumerated() {
            expectClose(got, want, tolerance: 1e-5, index == 0 ? "output" : "gradient of parameter \(index - 1)")
        }
        // The padding row gets no gradient.
        #expect(Array(fused[1][0..<3]) == [0, 0, 0])
    }

    /// As many tokens as the table has rows: the layers run one after the other.
    @Test func aTableAsLongAsTheBatchIsNotProjected() throws {
        let device = CPUDevice.shared
        let embedding = try Embedding(vocabulary: 4, dimension: 3, seed: 44, on: device)
        let lstm = try LSTM(inputs: 3, hidden: 2, seed: 45, on: device)
        let ids = Variable(try Tensor([0, 1, 2, 3], shape: [2, 2], on: device))
        #expect(try EmbeddedLSTM.forward(ids, embedding: embedding, lstm: lstm, tape: .inference()) == nil)
    }
}

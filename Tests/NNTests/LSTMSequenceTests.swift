import Backend
import NN
import Parity
import TestSupport
import Testing

/// `Tape.lstmSequence` on its own: the shapes it refuses, and its outputs agreeing with each
/// other (the LSTM layer's tests check its values and gradients).
@Suite struct LSTMSequenceTests {
    @Test func badShapesAreErrors() throws {
        let device = CPUDevice.shared
        let projected = Variable(try Tensor.zeros([2, 3, 8], on: device))
        let weight = Variable(try Tensor.zeros([2, 8], on: device))
        let state = Variable(try Tensor.zeros([1, 2], on: device))
        let tape = Tape.inference()
        #expect(throws: BackendError.self) {
            try tape.lstmSequence(Variable(Tensor.zeros([2, 3, 6], on: device)), weightHH: weight, initial: nil, returnSequence: false)
        }
        // Initial states must be [batch, hidden] or [1, hidden].
        for wrong in [[3, 2], [2], [1, 3]] {
            let bad = Variable(try Tensor.zeros(wrong, on: device))
            #expect(throws: BackendError.self) {
                try tape.lstmSequence(projected, weightHH: weight, initial: LSTMState(h: bad, c: state), returnSequence: false)
            }
            #expect(throws: BackendError.self) {
                try tape.lstmSequence(projected, weightHH: weight, initial: LSTMState(h: state, c: bad), returnSequence: false)
            }
        }
    }

    @Test(arguments: TestDevice.all)
    func theSequenceEndsWithTheLastOutput(device: TestDevice) throws {
        let (batch, steps, hidden) = (2, 5, 3)
        let projected = Variable(
            try Tensor(randomValues(batch * steps * 4 * hidden, seed: 5), shape: [batch, steps, 4 * hidden], on: device.device))
        let weight = Variable(try Tensor(randomValues(hidden * 4 * hidden, seed: 6), shape: [hidden, 4 * hidden], on: device.device))
        let result = try Tape.inference().lstmSequence(projected, weightHH: weight, initial: nil, returnSequence: true)
        let sequence = try #require(result.sequence).value.toArray()
        var lastSteps: [Float] = []
        for b in 0..<batch {
            let end = (b + 1) * steps * hidden
            lastSteps += sequence[(end - hidden)..<end]
        }
        let last = try result.hidden.value.toArray()
        #expect(lastSteps == last)
        #expect(result.cell.shape == [batch, hidden])
    }
}

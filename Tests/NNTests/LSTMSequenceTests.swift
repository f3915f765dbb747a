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

    /// The CPU's fused steps split a big enough step over the threads by hidden units: every
    /// output and gradient is the same, bit for bit, on one thread and on two.
    @Test func theCPUStepsGiveTheSameNumbersOnOneThreadAndTwo() throws {
        func run(threads: Int) throws -> [[Float]] {
            let device = CPUDevice(threads: threads)
            let (batch, steps, hidden) = (64, 3, 136)
            func variable(_ shape: [Int], _ seed: UInt64, requiresGrad: Bool = true) throws -> Variable {
                let values = randomValues(shape.reduce(1, *), in: -0.2...0.2, seed: seed)
                return Variable(try Tensor(values, shape: shape, on: device), requiresGrad: requiresGrad)
            }
            let projected = try variable([batch, steps, 4 * hidden], 31), weight = try variable([hidden, 4 * hidden], 32)
            let initial = LSTMState(h: try variable([batch, hidden], 33), c: try variable([1, hidden], 34))
            let tape = Tape()
            let result = try tape.lstmSequence(projected, weightHH: weight, initial: initial, returnSequence: true)
            let sequence = try #require(result.sequence)
            let weighted = try [
                tape.mul(sequence, variable(sequence.shape, 35, requiresGrad: false)),
                tape.mul(result.hidden, variable(result.hidden.shape, 36, requiresGrad: false)),
                tape.mul(result.cell, variable(result.cell.shape, 37, requiresGrad: false)),
            ]
            try tape.backward(tape.add(tape.add(tape.sum(weighted[0]), tape.sum(weighted[1])), tape.sum(weighted[2])))
            let gradients = try [projected, weight, initial.h, initial.c].map { try #require($0.grad).toArray() }
            return try [sequence.value.toArray(), result.cell.value.toArray()] + gradients
        }
        let (one, two) = (try run(threads: 1), try run(threads: 2))
        for (index, name) in ["sequence", "cell", "projected's gradient", "weight_hh's gradient", "h0's gradient", "c0's gradient"].enumerated() {
            #expect(one[index] == two[index], "\(name) differs between one thread and two")
        }
    }
}

import Backend

/// The state an LSTM carries from step to step: the output `h` and the cell `c`, each
/// `[batch, hidden]` (or `[1, hidden]`, shared by every sample, as an initial state).
public struct LSTMState {
    public let h: Variable
    public let c: Variable

    public init(h: Variable, c: Variable) {
        self.h = h
        self.c = c
    }
}

/// A long short-term memory layer over batch-first sequences `[batch, steps, inputs]`, with
/// PyTorch's formulas and gate order (input i, forget f, cell g, output o):
/// `gates = x·weight_ih + bias_ih + h·weight_hh + bias_hh`, `c' = σ(f)·c + σ(i)·tanh(g)`,
/// `h' = σ(o)·tanh(c')`. Weights are `[inputs, 4·hidden]` and `[hidden, 4·hidden]`, the
/// transposes of `torch.nn.LSTM`'s `weight_ih_l0` and `weight_hh_l0`.
public final class LSTM: Layer {
    public let kind = "lstm"
    public let weights: RecurrentWeights
    /// Learned initial `h` and `c` (`[1, hidden]`), or nil to start from zeros.
    public let initialState: LSTMState?
    /// Whether the output is every step's `h` (`[steps, hidden]` per sample) or the last one's.
    public let returnSequences: Bool

    /// A layer with PyTorch's initialization (uniform in ±1/√hidden) from stream `seed`.
    public init(
        inputs: Int, hidden: Int, returnSequences: Bool = false, learnedInitialState: Bool = false, seed: UInt64, on device: any Device
    ) throws {
        weights = try RecurrentWeights(inputs: inputs, hidden: hidden, gates: 4, seed: seed, kind: kind, on: device)
        initialState = learnedInitialState
            ? LSTMState(
                h: try Recurrence.learnedState(hidden: hidden, name: "initial_h", on: device),
                c: try Recurrence.learnedState(hidden: hidden, name: "initial_c", on: device))
            : nil
        self.returnSequences = returnSequences
    }

    /// The size of `h` and `c`.
    public var hidden: Int { weights.hidden }
    /// The features of each step's input.
    public var inputs: Int { weights.inputs }

    public var parameters: [Variable] {
        weights.all + (initialState.map { [$0.h, $0.c] } ?? [])
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        try Recurrence.outputShape(for: inputShape, features: inputs, hidden: hidden, returnSequences: returnSequences, kind: kind)
    }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        try run(input, from: initialState, tape: tape).output
    }

    /// Runs the sequence from `state` (zeros when nil; the layer's learned state is not used):
    /// the output as `forward` gives it, and the state after the last step.
    public func run(_ input: Variable, from state: LSTMState?, tape: Tape) throws -> (output: Variable, state: LSTMState) {
        _ = try Recurrence.dimensions(of: input, features: inputs, kind: kind)
        // Both biases go into the input projection, made for every step at once.
        let projected = try Recurrence.projected(input, weight: weights.weightIH, bias: tape.add(weights.biasIH, weights.biasHH), tape: tape)
        return try run(projected: projected, from: state, tape: tape)
    }

    /// `run` from every step's input projection, `[batch, steps, 4·hidden]`: `x·weight_ih` plus
    /// both biases.
    func run(projected: Variable, from state: LSTMState?, tape: Tape) throws -> (output: Variable, state: LSTMState) {
        let batch = projected.shape[0]
        if let state {
            try Recurrence.checkState(state.h, batch: batch, hidden: hidden, name: "h", kind: kind)
            try Recurrence.checkState(state.c, batch: batch, hidden: hidden, name: "c", kind: kind)
        }
        let result = try tape.lstmSequence(projected, weightHH: weights.weightHH, initial: state, returnSequence: returnSequences)
        return (result.sequence ?? result.hidden, LSTMState(h: result.hidden, c: result.cell))
    }
}

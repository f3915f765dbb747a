import Backend

/// A gated recurrent unit layer over batch-first sequences `[batch, steps, inputs]`, with
/// PyTorch's formulas and gate order (reset r, update z, new n):
/// `r = σ(x·W_ir + b_ir + h·W_hr + b_hr)`, `z = σ(x·W_iz + b_iz + h·W_hz + b_hz)`,
/// `n = tanh(x·W_in + b_in + r·(h·W_hn + b_hn))`, `h' = (1 − z)·n + z·h`. Weights are
/// `[inputs, 3·hidden]` and `[hidden, 3·hidden]`, the transposes of `torch.nn.GRU`'s.
public final class GRU: Layer {
    public let kind = "gru"
    public let weights: RecurrentWeights
    /// A learned initial `h` (`[1, hidden]`), or nil to start from zeros.
    public let initialState: Variable?
    /// Whether the output is every step's `h` (`[steps, hidden]` per sample) or the last one's.
    public let returnSequences: Bool

    /// A layer with PyTorch's initialization (uniform in ±1/√hidden) from stream `seed`.
    public init(
        inputs: Int, hidden: Int, returnSequences: Bool = false, learnedInitialState: Bool = false, seed: UInt64, on device: any Device
    ) throws {
        weights = try RecurrentWeights(inputs: inputs, hidden: hidden, gates: 3, seed: seed, kind: kind, on: device)
        initialState = learnedInitialState ? try Recurrence.learnedState(hidden: hidden, name: "initial_h", on: device) : nil
        self.returnSequences = returnSequences
    }

    /// The size of `h`.
    public var hidden: Int { weights.hidden }
    /// The features of each step's input.
    public var inputs: Int { weights.inputs }

    public var parameters: [Variable] {
        weights.all + (initialState.map { [$0] } ?? [])
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        try Recurrence.outputShape(for: inputShape, features: inputs, hidden: hidden, returnSequences: returnSequences, kind: kind)
    }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        try run(input, from: initialState, tape: tape).output
    }

    /// Runs the sequence from `state` (zeros when nil; the layer's learned state is not used):
    /// the output as `forward` gives it, and `h` after the last step.
    public func run(_ input: Variable, from state: Variable?, tape: Tape) throws -> (output: Variable, state: Variable) {
        let (batch, _) = try Recurrence.dimensions(of: input, features: inputs, kind: kind)
        if let state { try Recurrence.checkState(state, batch: batch, hidden: hidden, name: "h", kind: kind) }
        let size = hidden
        var h = state
        var outputs: [Variable] = []
        for projected in try Recurrence.projectedSteps(input, weight: weights.weightIH, bias: weights.biasIH, tape: tape) {
            // Without a state, h·W_hh is zero and only the bias remains.
            let recurrent = try h.map { try tape.linear($0, weight: weights.weightHH, bias: weights.biasHH) }
                ?? tape.reshape(weights.biasHH, to: [1, 3 * size])
            let fromInput = try tape.split(projected, axis: 1, sizes: [size, size, size])
            let fromState = try tape.split(recurrent, axis: 1, sizes: [size, size, size])
            let reset = try tape.apply(.sigmoid, tape.add(fromInput[0], fromState[0]))
            let update = try tape.apply(.sigmoid, tape.add(fromInput[1], fromState[1]))
            let new = try tape.apply(.tanh, tape.add(fromInput[2], tape.mul(reset, fromState[2])))
            // h' = n + z·(h − n); with h = 0 that is n − z·n.
            let output = try h.map { try tape.add(new, tape.mul(update, tape.sub($0, new))) } ?? tape.sub(new, tape.mul(update, new))
            h = output
            outputs.append(output)
        }
        guard let last = outputs.last, let h else {
            throw BackendError.shapeMismatch(op: kind, detail: "the input \(input.shape) has no steps")
        }
        return (returnSequences ? try Recurrence.stacked(outputs, tape: tape) : last, h)
    }
}

import Backend

/// What LSTM and GRU layers share: checking a batch-first input, projecting every step's input
/// at once, and joining the steps' outputs.
enum Recurrence {
    /// `(batch, steps)` of an input `[batch, steps, features]`.
    static func dimensions(of input: Variable, features: Int, kind: String) throws -> (batch: Int, steps: Int) {
        guard input.shape.count == 3, input.shape[2] == features, input.shape[1] > 0 else {
            throw BackendError.shapeMismatch(op: kind, detail: "expects [batch, steps, \(features)], got \(input.shape)")
        }
        return (input.shape[0], input.shape[1])
    }

    /// The output shape for samples of `[steps, features]`.
    static func outputShape(for inputShape: [Int], features: Int, hidden: Int, returnSequences: Bool, kind: String) throws -> [Int] {
        guard inputShape.count == 2, inputShape[1] == features, inputShape[0] > 0 else {
            throw BackendError.shapeMismatch(op: kind, detail: "expects samples of [steps, \(features)], got \(inputShape)")
        }
        return returnSequences ? [inputShape[0], hidden] : [hidden]
    }

    /// `x · weight + bias` for every step in one GEMM: `[batch, steps, gates]`.
    static func projected(_ input: Variable, weight: Variable, bias: Variable, tape: Tape) throws -> Variable {
        let (batch, steps, features) = (input.shape[0], input.shape[1], input.shape[2])
        let rows = try tape.reshape(input, to: [batch * steps, features])
        return try tape.reshape(tape.linear(rows, weight: weight, bias: bias), to: [batch, steps, weight.shape[1]])
    }

    /// `x · weight + bias` for every step in one GEMM, cut into the steps: `[batch, gates]` each.
    static func projectedSteps(_ input: Variable, weight: Variable, bias: Variable, tape: Tape) throws -> [Variable] {
        let (batch, steps, width) = (input.shape[0], input.shape[1], weight.shape[1])
        let projected = try projected(input, weight: weight, bias: bias, tape: tape)
        let perStep = try tape.split(projected, axis: 1, sizes: Array(repeating: 1, count: steps))
        return try perStep.map { try tape.reshape($0, to: [batch, width]) }
    }

    /// The steps' outputs `[batch, hidden]` joined into `[batch, steps, hidden]`.
    static func stacked(_ outputs: [Variable], tape: Tape) throws -> Variable {
        let parts = try outputs.map { try tape.reshape($0, to: [$0.shape[0], 1, $0.shape[1]]) }
        return parts.count == 1 ? parts[0] : try tape.concat(parts, axis: 1)
    }

    /// PyTorch's initialization of recurrent weights: uniform in ±1/√hidden, from stream
    /// `seed` at `offset`.
    static func uniform(_ shape: [Int], hidden: Int, seed: UInt64, offset: UInt64, name: String, on device: any Device) throws -> Variable {
        let tensor = try Tensor(uninitializedShape: shape, on: device)
        let limit = 1 / Float(hidden).squareRoot()
        try device.uniform(tensor, low: -limit, high: limit, stream: RandomStream(seed: seed, offset: offset))
        return Variable(tensor, requiresGrad: true, name: name)
    }

    /// Checks the sizes of a recurrent layer: positive, and `gates · hidden` weights countable.
    static func checkSizes(inputs: Int, hidden: Int, gates: Int, kind: String) throws {
        let width = hidden.multipliedReportingOverflow(by: gates)
        guard inputs > 0, hidden > 0, !width.overflow,
              !inputs.multipliedReportingOverflow(by: width.partialValue).overflow,
              !hidden.multipliedReportingOverflow(by: width.partialValue).overflow
        else {
            throw BackendError.invalidArgument(
                op: kind, detail: "inputs (\(inputs)) and hidden size (\(hidden)) must be positive and their weights countable")
        }
    }

    /// A learned initial state `[1, hidden]` starting at zero (shared by every sample).
    static func learnedState(hidden: Int, name: String, on device: any Device) throws -> Variable {
        Variable(try Tensor(repeating: 0, shape: [1, hidden], on: device), requiresGrad: true, name: name)
    }

    /// Checks a given initial state: `[batch, hidden]` or `[1, hidden]` (shared by every sample).
    static func checkState(_ state: Variable, batch: Int, hidden: Int, name: String, kind: String) throws {
        guard state.shape == [batch, hidden] || state.shape == [1, hidden] else {
            throw BackendError.shapeMismatch(
                op: kind, detail: "initial state \(name) must be [\(batch), \(hidden)] or [1, \(hidden)], got \(state.shape)")
        }
    }
}

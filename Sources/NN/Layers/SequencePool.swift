import Backend

/// One vector per sequence, for a classifier's head: `[batch, steps, features]` → `[batch,
/// features]`, the mean over the steps (over the real steps only when it reads a padding mask)
/// or the first step (a classification token's place).
public final class SequencePool: MaskedLayer {
    /// How the steps become one vector.
    public enum Mode: String, Sendable, CaseIterable {
        case mean, first
    }

    public let kind = "sequence_pool"
    public let mode: Mode

    public init(_ mode: Mode) { self.mode = mode }

    public var parameters: [Variable] { [] }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 2 else {
            throw BackendError.shapeMismatch(op: kind, detail: "samples of \(inputShape); it pools [steps, features]")
        }
        return [inputShape[1]]
    }

    public func forward(_ input: Variable, mask: Variable?, tape: Tape) throws -> Variable {
        guard input.shape.count == 3 else {
            throw BackendError.shapeMismatch(op: kind, detail: "input \(input.shape); it pools [batch, steps, features]")
        }
        try checkMask(mask, for: input)
        let (batch, steps, features) = (input.shape[0], input.shape[1], input.shape[2])
        switch mode {
        case .first:
            return try tape.reshape(tape.slice(input, axis: 1, range: 0..<1), to: [batch, features])
        case .mean:
            guard let mask else {
                return try tape.reshape(tape.scale(tape.sum(input, axis: 1), by: 1 / Float(steps)), to: [batch, features])
            }
            let weights = try mask.value.reshaped([batch, steps, 1])
            let total = try tape.sum(tape.mul(input, Variable(weights)), axis: 1)
            // Real steps per sequence, at least 1 (a sequence of padding only pools to zeros).
            let counts = try weights.sum(axis: 1).combined(with: 1, .max).reshaped([batch, 1, 1])
            return try tape.reshape(tape.div(total, Variable(counts)), to: [batch, features])
        }
    }
}

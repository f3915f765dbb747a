import Backend

/// Zeroes a fraction of its inputs while training; the identity in evaluation.
public final class Dropout: Layer {
    public let kind = "dropout"
    /// The fraction of inputs dropped, in [0, 1).
    public let probability: Float
    /// The layer's own random stream; the tape's step varies the draws between steps.
    public let seed: UInt64

    public init(probability: Float, seed: UInt64) throws {
        guard probability >= 0, probability < 1 else {
            throw BackendError.invalidArgument(op: "Dropout", detail: "probability \(probability) is not in [0, 1)")
        }
        self.probability = probability
        self.seed = seed
    }

    public var parameters: [Variable] { [] }
    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        try tape.dropout(input, probability: probability, seed: seed)
    }
}

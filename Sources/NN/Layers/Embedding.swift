import Backend

/// A lookup table of learned vectors: each token id of a `[batch, steps]` input (ids stored as
/// Float) becomes its row of `weight`, giving `[batch, steps, dimension]` (PyTorch's
/// `nn.Embedding`). Ids outside `0..<vocabulary` give zeros.
public final class Embedding: Layer {
    public let kind = "embedding"
    /// `[vocabulary, dimension]`, drawn from a standard normal distribution (the padding row zero).
    public let weight: Variable
    /// The id whose row stays zero and gets no gradient (a padding token), if any.
    public let paddingIndex: Int?

    /// A table of `vocabulary` vectors of `dimension` values from stream `seed`.
    public init(vocabulary: Int, dimension: Int, paddingIndex: Int? = nil, seed: UInt64, on device: any Device) throws {
        let overflow = vocabulary.multipliedReportingOverflow(by: dimension).overflow
        guard vocabulary > 0, dimension > 0, !overflow else {
            throw BackendError.invalidArgument(
                op: "Embedding", detail: "vocabulary (\(vocabulary)) and dimension (\(dimension)) must be positive and their product countable")
        }
        if let paddingIndex, !(0..<vocabulary).contains(paddingIndex) {
            throw BackendError.invalidArgument(
                op: "Embedding", detail: "padding index \(paddingIndex) is not an id of the vocabulary 0..<\(vocabulary)")
        }
        let table = try Tensor(uninitializedShape: [vocabulary, dimension], on: device)
        try device.normal(table, mean: 0, standardDeviation: 1, stream: RandomStream(seed: seed))
        if let paddingIndex {
            try [Float](repeating: 0, count: dimension).withUnsafeBufferPointer {
                try device.write($0, to: table.buffer, offset: paddingIndex * dimension)
            }
        }
        weight = Variable(table, requiresGrad: true, name: "weight")
        self.paddingIndex = paddingIndex
    }

    public var parameters: [Variable] { [weight] }

    /// The number of ids in the table.
    public var vocabulary: Int { weight.shape[0] }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard !inputShape.isEmpty else {
            throw BackendError.shapeMismatch(op: kind, detail: "expects samples of token ids, got shape \(inputShape)")
        }
        return inputShape + [weight.shape[1]]
    }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        try tape.embedding(input, table: weight, paddingIndex: paddingIndex)
    }
}

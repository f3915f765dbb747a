/// Counter-based randomness (Philox-4x32-10): element `i` of every fill depends only on its
/// `RandomStream` and `i`, so a seed gives the same numbers on every device.
///
/// Element `i` uses word `i % 4` of the Philox block for counter `(i / 4, offset)` under the key
/// `seed`. Uniform values and dropout masks are bit-identical across devices; normal values
/// agree to within the rounding of `log`, `sqrt`, `cos` and `sin`.
public protocol RandomOps {
    /// The raw generator, for known-answer tests: `words` (a multiple of 4 elements) receives, as
    /// Float bit patterns, the blocks for counters `counter`, `counter + 1`, ... under `key` (the
    /// step is added to the counter's low 64 bits, words 0 and 1).
    func philoxWords(key: SIMD2<UInt32>, counter: SIMD4<UInt32>, into words: Tensor) throws
    /// Fills `x` with values uniform in `[low, high)`.
    func uniform(_ x: Tensor, low: Float, high: Float, stream: RandomStream) throws
    /// Fills `x` with normal values (Box–Muller on pairs of words).
    func normal(_ x: Tensor, mean: Float, standardDeviation: Float, stream: RandomStream) throws
    /// Inverted dropout: `output = x * keep / (1 - probability)`, where element `i` is kept
    /// (`keep = 1`) when its uniform draw is at least `probability`. `mask` (optional, x's
    /// element count) receives `keep` as 0 or 1. `probability` is in `[0, 1)`.
    func dropout(_ x: Tensor, probability: Float, stream: RandomStream, into output: Tensor, mask: Tensor?) throws
    /// `gradInput = gradOutput * keep / (1 - probability)`, with `keep` read from a mask written
    /// by `dropout` or recomputed from the stream the forward pass used.
    func dropoutBackward(gradOutput: Tensor, probability: Float, mask: DropoutMask, into gradInput: Tensor) throws
}

/// Where `dropoutBackward` finds which elements the forward pass kept.
public enum DropoutMask {
    /// A tensor of 0s and 1s written by `dropout`.
    case tensor(Tensor)
    /// Recomputed from the stream the forward pass used (no mask memory).
    case recomputed(RandomStream)
}

extension RandomOps where Self: DeviceCore {
    /// Validates the arguments shared by dropout forward and backward; returns `1 / (1 - p)`.
    func dropoutScale(_ op: String, probability: Float, input: Tensor, output: Tensor, mask: Tensor?) throws -> Float {
        guard probability >= 0, probability < 1 else {
            throw BackendError.invalidArgument(op: op, detail: "probability \(probability) is not in [0, 1)")
        }
        for (label, tensor) in [("output", output), ("mask", mask)] {
            guard let tensor else { continue }
            guard tensor.count == input.count else {
                throw BackendError.shapeMismatch(
                    op: op, detail: "\(label) has \(tensor.count) elements, input has \(input.count)")
            }
            try checkOwnership(tensor, op: op)
        }
        try checkOwnership(input, op: op)
        return 1 / (1 - probability)
    }

    /// Validates a fill's range or spread.
    func checkFill(_ op: String, _ x: Tensor, width: Float) throws {
        try checkOwnership(x, op: op)
        guard width.isFinite, width >= 0 else {
            throw BackendError.invalidArgument(op: op, detail: "range width \(width) must be finite and not negative")
        }
    }
}

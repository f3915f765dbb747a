/// Reductions along one axis or over all elements.
public enum ReduceOp: Int32, CaseIterable, Sendable, CustomStringConvertible {
    case sum, mean, max
    /// The index of the first maximum, stored as a Float (exact below 2^24).
    case argmax

    public var description: String {
        switch self {
        case .sum: "sum"
        case .mean: "mean"
        case .max: "max"
        case .argmax: "argmax"
        }
    }
}

/// Reductions and softmax.
public protocol ReductionOps {
    /// Reduces `x` along `axis` (all elements when nil); `out` holds one value per remaining
    /// position (`x.count / x.shape[axis]` elements, or 1).
    func reduce(_ op: ReduceOp, _ x: Tensor, axis: Int?, into out: Tensor) throws
    /// Softmax (or log-softmax when `log`) along `axis`; `out` has x's shape.
    func softmax(_ x: Tensor, axis: Int, log: Bool, into out: Tensor) throws
    /// Gradient of softmax (or log-softmax) given its output and the output's gradient.
    func softmaxBackward(output: Tensor, gradOutput: Tensor, axis: Int, log: Bool, into gradInput: Tensor) throws
}

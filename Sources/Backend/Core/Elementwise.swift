/// Elementwise functions of one tensor.
public enum UnaryOp: Sendable, Hashable, CustomStringConvertible {
    case relu
    case leakyRelu(slope: Float)
    case sigmoid
    case tanh
    /// GELU in its exact form, `x * Φ(x)`.
    case gelu
    case exp
    case log
    case sqrt
    case neg
    case abs
    case square

    /// Every op, with leaky ReLU at slope 0.01.
    public static let allCases: [UnaryOp] = [
        .relu, .leakyRelu(slope: 0.01), .sigmoid, .tanh, .gelu, .exp, .log, .sqrt, .neg, .abs, .square,
    ]

    /// The op's parameter (the slope of leaky ReLU), 0 for the others.
    public var parameter: Float {
        if case let .leakyRelu(slope) = self { return slope }
        return 0
    }

    /// The op's name without its parameters: `leaky_relu` for every slope. Also the name of its
    /// kernels in `Kernels/elementwise.cl` (`unary_<name>`, `bias_<name>`).
    public var name: String {
        switch self {
        case .relu: "relu"
        case .leakyRelu: "leaky_relu"
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .gelu: "gelu"
        case .exp: "exp"
        case .log: "log"
        case .sqrt: "sqrt"
        case .neg: "neg"
        case .abs: "abs"
        case .square: "square"
        }
    }

    public var description: String {
        if case let .leakyRelu(slope) = self { return "\(name)(\(slope))" }
        return name
    }

    /// Whether `op'(x)` follows from `y = op(x)` alone (ReLU, leaky ReLU with a slope ≥ 0,
    /// sigmoid, tanh), so a fused forward pass need not keep its input for the backward pass.
    public var derivativeFollowsFromOutput: Bool {
        switch self {
        case .relu, .sigmoid, .tanh: true
        case let .leakyRelu(slope): slope >= 0
        default: false
        }
    }
}

/// Elementwise functions of two tensors, with NumPy broadcasting.
public enum BinaryOp: Int32, CaseIterable, Sendable, CustomStringConvertible {
    case add, sub, mul, div, max, min, pow

    public var description: String {
        switch self {
        case .add: "add"
        case .sub: "sub"
        case .mul: "mul"
        case .div: "div"
        case .max: "max"
        case .min: "min"
        case .pow: "pow"
        }
    }
}

/// Elementwise ops.
public protocol ElementwiseOps {
    /// `y = op(x)`; x and y have the same element count.
    func unary(_ op: UnaryOp, _ x: Tensor, into y: Tensor) throws
    /// `gradInput = gradOutput * op'(input)`.
    func unaryBackward(_ op: UnaryOp, input: Tensor, gradOutput: Tensor, into gradInput: Tensor) throws
    /// `out = op(a, b)` with NumPy broadcasting; `out.shape` is the broadcast shape.
    func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, into out: Tensor) throws
    /// `out = op(x, scalar)`, or `op(scalar, x)` when `scalarFirst`.
    func binaryScalar(_ op: BinaryOp, _ x: Tensor, scalar: Float, scalarFirst: Bool, into out: Tensor) throws
    /// `out[r, c] = activation(x[r, c] + bias[c])` for x of shape `[rows, cols]` (any leading
    /// dimensions fold into rows); no activation when `activation` is nil.
    func biasActivation(_ x: Tensor, bias: Tensor, activation: UnaryOp?, into out: Tensor) throws
    /// `gradInput = gradOutput * op'(x)` computed from the forward output `output = op(x)`, for
    /// ops whose `derivativeFollowsFromOutput`. gradInput may be gradOutput itself.
    func activationBackward(_ op: UnaryOp, output: Tensor, gradOutput: Tensor, into gradInput: Tensor) throws
    /// The backward pass of `biasActivation` from its output: `gradInput = gradOutput ·
    /// activation'` (from `output`; nil is the identity) and `gradBias[c] = Σ_r gradInput[r, c]`,
    /// added to what gradBias holds with `accumulate`. gradInput may be gradOutput itself; the
    /// activation's `derivativeFollowsFromOutput`.
    func biasActivationBackward(
        _ activation: UnaryOp?, output: Tensor, gradOutput: Tensor, into gradInput: Tensor, gradBias: Tensor,
        accumulate: Bool) throws
    /// Sets every element to `value`.
    func fill(_ x: Tensor, value: Float) throws
}

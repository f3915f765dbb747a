import Foundation

/// Stochastic gradient descent: with `g = gradient + weightDecay * p`, momentum keeps
/// `v = momentum * v + g` and steps along `g + momentum * v` (Nesterov) or `v`; without momentum
/// it steps along `g`. `p -= learningRate * step`.
public struct SGDHyperparameters: Sendable, Hashable {
    public var learningRate: Float
    public var momentum: Float
    public var nesterov: Bool
    public var weightDecay: Float

    /// Plain SGD unless a momentum is given; no weight decay by default.
    public init(learningRate: Float, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }
}

/// RMSprop, as PyTorch's `torch.optim.RMSprop`: with `g = gradient + weightDecay * p`,
/// `s = decay * s + (1 - decay) * g²` and the step `d = g / (√v + epsilon)`, where `v = s`, or
/// when `centered` `v = max(s - a², 0)` with the gradient average `a = decay * a + (1 - decay) * g`.
/// With momentum, `b = momentum * b + d` and `p -= learningRate * b`; else `p -= learningRate * d`.
public struct RMSpropHyperparameters: Sendable, Hashable {
    public var learningRate: Float
    /// The running average's decay (PyTorch's `alpha`).
    public var decay: Float
    public var epsilon: Float
    public var weightDecay: Float
    /// The momentum of the step's buffer (0: none).
    public var momentum: Float
    /// Whether the squared average is centered by the gradient average (an estimate of the variance).
    public var centered: Bool

    /// PyTorch's defaults, the one place they are written (NN and train files refer to them).
    public static let defaultDecay: Float = 0.99
    public static let defaultEpsilon: Float = 1e-8

    /// RMSprop with the default decay and epsilon, no momentum, not centered.
    public init(
        learningRate: Float, decay: Float = Self.defaultDecay, epsilon: Float = Self.defaultEpsilon, weightDecay: Float = 0,
        momentum: Float = 0, centered: Bool = false
    ) {
        self.learningRate = learningRate
        self.decay = decay
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
    }
}

/// Adam, or AdamW when `decoupledWeightDecay`: Adam adds `weightDecay * p` to the gradient;
/// AdamW instead multiplies `p` by `1 - learningRate * weightDecay` before the step. Then
/// `m = β₁m + (1 − β₁)g`, `v = β₂v + (1 − β₂)g²` and
/// `p -= learningRate * (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + epsilon)` for step `t ≥ 1`.
public struct AdamHyperparameters: Sendable, Hashable {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    /// AdamW's decay of the parameters instead of Adam's L2 term in the gradient.
    public var decoupledWeightDecay: Bool

    /// PyTorch's defaults, the one place they are written (NN and train files refer to them).
    public static let defaultBeta1: Float = 0.9
    public static let defaultBeta2: Float = 0.999
    public static let defaultEpsilon: Float = 1e-8

    /// Adam with the default betas and epsilon and no weight decay by default.
    public init(
        learningRate: Float, beta1: Float = Self.defaultBeta1, beta2: Float = Self.defaultBeta2,
        epsilon: Float = Self.defaultEpsilon, weightDecay: Float = 0, decoupledWeightDecay: Bool = false
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// AdamW with the given decay.
    public static func adamW(learningRate: Float, weightDecay: Float = 0.01) -> Self {
        Self(learningRate: learningRate, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    /// The constants of step `t`, with the bias corrections computed in Double.
    func coefficients(step: Int) throws -> AdamCoefficients {
        guard step >= 1 else {
            throw BackendError.invalidArgument(op: "adamStep", detail: "step \(step) must count from 1")
        }
        guard beta1 >= 0, beta1 < 1, beta2 >= 0, beta2 < 1 else {
            throw BackendError.invalidArgument(op: "adamStep", detail: "betas (\(beta1), \(beta2)) must be in [0, 1)")
        }
        let correction1 = 1 - Foundation.pow(Double(beta1), Double(step))
        let correction2 = 1 - Foundation.pow(Double(beta2), Double(step))
        return AdamCoefficients(
            stepSize: Float(Double(learningRate) / correction1),
            inverseRootCorrection2: Float(1 / correction2.squareRoot()),
            parameterScale: decoupledWeightDecay ? 1 - learningRate * weightDecay : 1,
            gradientDecay: decoupledWeightDecay ? 0 : weightDecay)
    }
}

/// Adam's per-step constants as the kernels take them:
/// `p = p * parameterScale - stepSize * m / (√v * inverseRootCorrection2 + epsilon)` with
/// `g = gradient + gradientDecay * p`.
struct AdamCoefficients {
    var stepSize: Float
    var inverseRootCorrection2: Float
    var parameterScale: Float
    var gradientDecay: Float
}

/// Fused optimizer updates (one pass over each parameter tensor, state kept on the device) and
/// the gradient utilities around them. State tensors have the parameter's element count and
/// start at zero.
public protocol OptimizerOps {
    /// One SGD step; `velocity` is required when `momentum != 0` and ignored otherwise.
    func sgdStep(parameter: Tensor, gradient: Tensor, velocity: Tensor?, _ hyperparameters: SGDHyperparameters) throws
    /// One RMSprop step, updating the running average of squared gradients, and the gradient
    /// average (required when `centered`, ignored otherwise) and the momentum buffer (required
    /// when `momentum != 0`, ignored otherwise).
    func rmspropStep(
        parameter: Tensor, gradient: Tensor, squareAverage: Tensor, gradientAverage: Tensor?, momentumBuffer: Tensor?,
        _ hyperparameters: RMSpropHyperparameters) throws
    /// Adam (or AdamW) step number `step` (counting from 1), updating both moments.
    func adamStep(
        parameter: Tensor, gradient: Tensor, firstMoment: Tensor, secondMoment: Tensor, step: Int,
        _ hyperparameters: AdamHyperparameters) throws
    /// Adds the subgradient of `strength * Σ|p|` to `gradient`: `gradient += strength * sign(p)`,
    /// with `sign(0) = 0`.
    func addL1Subgradient(parameter: Tensor, strength: Float, to gradient: Tensor) throws
    /// Writes `√(Σ over all tensors of Σ x²)` into the one-element `norm`.
    func globalNorm(_ tensors: [Tensor], into norm: Tensor) throws
    /// Multiplies every element of every tensor by `factor`, in place.
    func scale(_ tensors: [Tensor], by factor: Float) throws
    /// Gradient clipping: computes the global norm into `norm`, then scales every tensor by
    /// `min(1, maxNorm / (norm + 10⁻⁶))` on the device, without reading the norm back.
    func clipByGlobalNorm(_ tensors: [Tensor], maxNorm: Float, norm: Tensor) throws
}

/// Added to the norm when clipping so an all-zero gradient divides safely.
let clipNormEpsilon: Float = 1e-6

extension OptimizerOps where Self: DeviceCore {
    /// Checks that every state tensor lives here and has the parameter's element count.
    func checkUpdate(_ op: String, parameter: Tensor, _ others: [(String, Tensor)]) throws {
        try checkOwnership(parameter, op: op)
        for (label, tensor) in others {
            try checkOwnership(tensor, op: op)
            guard tensor.count == parameter.count else {
                throw BackendError.shapeMismatch(
                    op: op, detail: "\(label) has \(tensor.count) elements, the parameter has \(parameter.count)")
            }
        }
    }

    /// The velocity SGD needs, or nil without momentum.
    func sgdVelocity(parameter: Tensor, gradient: Tensor, velocity: Tensor?, _ h: SGDHyperparameters) throws -> Tensor? {
        let usesMomentum = h.momentum != 0
        if usesMomentum, velocity == nil {
            throw BackendError.invalidArgument(op: "sgdStep", detail: "momentum \(h.momentum) needs a velocity tensor")
        }
        if h.nesterov, !usesMomentum {
            throw BackendError.invalidArgument(op: "sgdStep", detail: "Nesterov needs a non-zero momentum")
        }
        let state = usesMomentum ? velocity : nil
        try checkUpdate("sgdStep", parameter: parameter, [("gradient", gradient)] + (state.map { [("velocity", $0)] } ?? []))
        return state
    }

    /// Checks an RMSprop step's tensors; returns the gradient average and momentum buffer it
    /// uses (nil for those its settings leave out).
    func rmspropState(
        parameter: Tensor, gradient: Tensor, squareAverage: Tensor, gradientAverage: Tensor?, momentumBuffer: Tensor?,
        _ h: RMSpropHyperparameters
    ) throws -> (gradientAverage: Tensor?, momentumBuffer: Tensor?) {
        if h.centered, gradientAverage == nil {
            throw BackendError.invalidArgument(op: "rmspropStep", detail: "centered RMSprop needs a gradient average tensor")
        }
        if h.momentum != 0, momentumBuffer == nil {
            throw BackendError.invalidArgument(op: "rmspropStep", detail: "momentum \(h.momentum) needs a momentum buffer tensor")
        }
        let average = h.centered ? gradientAverage : nil
        let buffer = h.momentum != 0 ? momentumBuffer : nil
        var tensors = [("gradient", gradient), ("squareAverage", squareAverage)]
        if let average { tensors.append(("gradientAverage", average)) }
        if let buffer { tensors.append(("momentumBuffer", buffer)) }
        try checkUpdate("rmspropStep", parameter: parameter, tensors)
        return (average, buffer)
    }

    /// Checks the tensors of a norm or scaling op and the one-element norm output.
    func checkNormArguments(_ op: String, _ tensors: [Tensor], norm: Tensor?) throws {
        for tensor in tensors { try checkOwnership(tensor, op: op) }
        if let norm {
            try checkOwnership(norm, op: op)
            guard norm.count == 1 else {
                throw BackendError.shapeMismatch(op: op, detail: "norm has \(norm.count) elements, not 1")
            }
        }
    }
}

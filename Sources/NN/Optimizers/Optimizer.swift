import Backend

/// Which update rule an `Optimizer` applies, with its rule-specific settings.
public enum OptimizerRule: Sendable, Equatable {
    /// Stochastic gradient descent, with optional (Nesterov) momentum.
    case sgd(momentum: Float = 0, nesterov: Bool = false)
    /// RMSprop with the decay of the squared-gradient average, optional momentum, and optionally
    /// centered (the squared average less the squared gradient average).
    case rmsprop(decay: Float = RMSpropHyperparameters.defaultDecay, momentum: Float = 0, centered: Bool = false)
    /// Adam; weight decay is added to the gradient (L2).
    case adam(beta1: Float = AdamHyperparameters.defaultBeta1, beta2: Float = AdamHyperparameters.defaultBeta2)
    /// AdamW: Adam with weight decay applied to the weights directly.
    case adamW(beta1: Float = AdamHyperparameters.defaultBeta1, beta2: Float = AdamHyperparameters.defaultBeta2)

    /// The names of the state tensors kept per parameter (checkpoints store them under these).
    public var stateNames: [String] {
        switch self {
        case let .sgd(momentum, _): momentum == 0 ? [] : ["velocity"]
        case let .rmsprop(_, momentum, centered):
            ["square_average"] + (centered ? ["gradient_average"] : []) + (momentum == 0 ? [] : ["momentum_buffer"])
        case .adam, .adamW: ["first_moment", "second_moment"]
        }
    }
}

/// Updates parameters from their gradients with one fused device kernel per parameter; all
/// state (velocities, moments) stays on the device.
public final class Optimizer {
    public let rule: OptimizerRule
    /// The rate of the next step; LR schedules change it between epochs.
    public var learningRate: Float
    /// L2 weight decay (decoupled for AdamW).
    public var weightDecay: Float
    /// Strength of the L1 penalty, applied as a subgradient before the update.
    public var l1: Float
    /// When set, gradients are scaled so their global norm is at most this.
    public var clipNorm: Float?
    /// The ε of RMSprop and Adam; nil takes the rule's default (`RMSpropHyperparameters.defaultEpsilon`,
    /// `AdamHyperparameters.defaultEpsilon`).
    public var epsilon: Float?
    /// Steps taken so far (Adam's bias correction counts from 1).
    public private(set) var stepCount = 0
    private var state: [ObjectIdentifier: [Tensor]] = [:]

    public init(
        _ rule: OptimizerRule, learningRate: Float, weightDecay: Float = 0, l1: Float = 0,
        clipNorm: Float? = nil, epsilon: Float? = nil
    ) throws {
        guard learningRate > 0, learningRate.isFinite else {
            throw BackendError.invalidArgument(op: "Optimizer", detail: "learning rate must be positive, got \(learningRate)")
        }
        self.rule = rule
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.l1 = l1
        self.clipNorm = clipNorm
        self.epsilon = epsilon
    }

    /// Applies one update to every parameter that has a gradient and is not frozen.
    public func step(_ parameters: [Variable]) throws {
        let active = parameters.filter { $0.requiresGrad && $0.grad != nil }
        guard let device = active.first?.device else { return }
        stepCount += 1
        let gradients = active.compactMap(\.grad)
        if l1 > 0 {
            for (parameter, gradient) in zip(active, gradients) {
                try device.addL1Subgradient(parameter: parameter.value, strength: l1, to: gradient)
            }
        }
        if let clipNorm {
            try device.clipByGlobalNorm(gradients, maxNorm: clipNorm, norm: Tensor(uninitializedShape: [1], on: device))
        }
        for parameter in active {
            guard let gradient = parameter.grad else { continue }
            let slots = try stateTensors(for: parameter)
            switch rule {
            case let .sgd(momentum, nesterov):
                try device.sgdStep(
                    parameter: parameter.value, gradient: gradient, velocity: slots.first,
                    SGDHyperparameters(learningRate: learningRate, momentum: momentum, nesterov: nesterov, weightDecay: weightDecay))
            case let .rmsprop(decay, momentum, centered):
                try device.rmspropStep(
                    parameter: parameter.value, gradient: gradient, squareAverage: slots[0],
                    gradientAverage: centered ? slots[1] : nil, momentumBuffer: momentum == 0 ? nil : slots.last,
                    RMSpropHyperparameters(
                        learningRate: learningRate, decay: decay, epsilon: epsilon ?? RMSpropHyperparameters.defaultEpsilon,
                        weightDecay: weightDecay, momentum: momentum, centered: centered))
            case let .adam(beta1, beta2), let .adamW(beta1, beta2):
                let decoupled = if case .adamW = rule { true } else { false }
                try device.adamStep(
                    parameter: parameter.value, gradient: gradient, firstMoment: slots[0], secondMoment: slots[1],
                    step: stepCount,
                    AdamHyperparameters(
                        learningRate: learningRate, beta1: beta1, beta2: beta2,
                        epsilon: epsilon ?? AdamHyperparameters.defaultEpsilon, weightDecay: weightDecay,
                        decoupledWeightDecay: decoupled))
            }
        }
    }

    /// The state tensors of `parameter` (created as zeros on first use), in `rule.stateNames` order.
    public func stateTensors(for parameter: Variable) throws -> [Tensor] {
        let key = ObjectIdentifier(parameter)
        if let slots = state[key] { return slots }
        let slots = try rule.stateNames.map { _ in
            try Tensor(repeating: 0, shape: parameter.shape, on: parameter.device)
        }
        state[key] = slots
        return slots
    }

    /// Forgets every parameter's state and the step count, as a fresh optimizer would start
    /// (fine-tuning does this when it unfreezes a pretrained base).
    public func resetState() {
        state = [:]
        stepCount = 0
    }

    /// Restores the step counter (when resuming from a checkpoint).
    public func restore(stepCount: Int) {
        self.stepCount = stepCount
    }
}

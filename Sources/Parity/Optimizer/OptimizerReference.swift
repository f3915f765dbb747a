import Backend
import Foundation

/// The hyperparameters each `OptimizerCase` runs with.
public enum OptimizerSettings {
    /// Plain SGD with L2 weight decay.
    public static let sgd = SGDHyperparameters(learningRate: 0.1, weightDecay: 0.01)
    /// SGD with momentum.
    public static let momentum = SGDHyperparameters(learningRate: 0.05, momentum: 0.9, weightDecay: 0.01)
    /// SGD with Nesterov momentum.
    public static let nesterov = SGDHyperparameters(learningRate: 0.05, momentum: 0.9, nesterov: true)
    static let l1Strength: Float = 0.01
    /// RMSprop with L2 weight decay.
    public static let rmsprop = RMSpropHyperparameters(learningRate: 0.003, decay: 0.9, weightDecay: 0.01)
    /// RMSprop with momentum.
    public static let rmspropMomentum = RMSpropHyperparameters(learningRate: 0.0005, decay: 0.9, weightDecay: 0.01, momentum: 0.9)
    /// Centered RMSprop with momentum.
    public static let rmspropCentered = RMSpropHyperparameters(learningRate: 0.0005, decay: 0.9, momentum: 0.5, centered: true)
    /// Adam with L2 weight decay.
    public static let adam = AdamHyperparameters(learningRate: 0.01, weightDecay: 0.01)
    /// AdamW (decoupled weight decay).
    public static let adamW = AdamHyperparameters.adamW(learningRate: 0.01, weightDecay: 0.1)
}

/// One optimizer configuration, run on a device and in Double on the host.
public enum OptimizerCase: CaseIterable, Sendable {
    case sgd, sgdMomentum, sgdNesterov, sgdWithL1, rmsprop, rmspropMomentum, rmspropCentered, adam, adamW

    /// Number of state tensors the optimizer keeps.
    public var stateCount: Int {
        switch self {
        case .sgd, .sgdWithL1: 0
        case .sgdMomentum, .sgdNesterov, .rmsprop: 1
        case .adam, .adamW, .rmspropMomentum: 2
        case .rmspropCentered: 3
        }
    }

    /// One step on a device.
    public func step(_ device: any Device, parameter: Tensor, gradient: Tensor, state: [Tensor], step: Int) throws {
        switch self {
        case .sgd: try device.sgdStep(parameter: parameter, gradient: gradient, velocity: nil, OptimizerSettings.sgd)
        case .sgdMomentum: try device.sgdStep(parameter: parameter, gradient: gradient, velocity: state[0], OptimizerSettings.momentum)
        case .sgdNesterov: try device.sgdStep(parameter: parameter, gradient: gradient, velocity: state[0], OptimizerSettings.nesterov)
        case .sgdWithL1:
            try device.addL1Subgradient(parameter: parameter, strength: OptimizerSettings.l1Strength, to: gradient)
            try device.sgdStep(parameter: parameter, gradient: gradient, velocity: nil, OptimizerSettings.sgd)
        case .rmsprop:
            try device.rmspropStep(
                parameter: parameter, gradient: gradient, squareAverage: state[0], gradientAverage: nil, momentumBuffer: nil,
                OptimizerSettings.rmsprop)
        case .rmspropMomentum:
            try device.rmspropStep(
                parameter: parameter, gradient: gradient, squareAverage: state[0], gradientAverage: nil, momentumBuffer: state[1],
                OptimizerSettings.rmspropMomentum)
        case .rmspropCentered:
            try device.rmspropStep(
                parameter: parameter, gradient: gradient, squareAverage: state[0], gradientAverage: state[1], momentumBuffer: state[2],
                OptimizerSettings.rmspropCentered)
        case .adam, .adamW:
            try device.adamStep(
                parameter: parameter, gradient: gradient, firstMoment: state[0], secondMoment: state[1], step: step,
                self == .adam ? OptimizerSettings.adam : OptimizerSettings.adamW)
        }
    }

    /// The same step in Double on one element (`state` holds the element's state values).
    public func referenceStep(_ p: inout Double, gradient: Double, state: inout [Double], step: Int) {
        func sgd(_ h: SGDHyperparameters, _ g: Double) {
            let grad = g + Double(h.weightDecay) * p
            guard h.momentum != 0 else {
                p -= Double(h.learningRate) * grad
                return
            }
            state[0] = Double(h.momentum) * state[0] + grad
            p -= Double(h.learningRate) * (h.nesterov ? grad + Double(h.momentum) * state[0] : state[0])
        }
        switch self {
        case .sgd: sgd(OptimizerSettings.sgd, gradient)
        case .sgdMomentum: sgd(OptimizerSettings.momentum, gradient)
        case .sgdNesterov: sgd(OptimizerSettings.nesterov, gradient)
        case .sgdWithL1: sgd(OptimizerSettings.sgd, gradient + Double(OptimizerSettings.l1Strength) * (p > 0 ? 1 : (p < 0 ? -1 : 0)))
        case .rmsprop, .rmspropMomentum, .rmspropCentered:
            let h = self == .rmsprop ? OptimizerSettings.rmsprop
                : self == .rmspropMomentum ? OptimizerSettings.rmspropMomentum : OptimizerSettings.rmspropCentered
            let decay = Double(h.decay)
            let grad = gradient + Double(h.weightDecay) * p
            state[0] = decay * state[0] + (1 - decay) * grad * grad
            var variance = state[0]
            if h.centered {
                state[1] = decay * state[1] + (1 - decay) * grad
                variance = max(state[0] - state[1] * state[1], 0)
            }
            var direction = grad / (variance.squareRoot() + Double(h.epsilon))
            if h.momentum != 0 {
                state[state.count - 1] = Double(h.momentum) * state[state.count - 1] + direction
                direction = state[state.count - 1]
            }
            p -= Double(h.learningRate) * direction
        case .adam, .adamW:
            let h = self == .adam ? OptimizerSettings.adam : OptimizerSettings.adamW
            let (lr, decay) = (Double(h.learningRate), Double(h.weightDecay))
            let (beta1, beta2) = (Double(h.beta1), Double(h.beta2))
            var grad = gradient
            if h.decoupledWeightDecay { p *= 1 - lr * decay } else { grad += decay * p }
            state[0] = beta1 * state[0] + (1 - beta1) * grad
            state[1] = beta2 * state[1] + (1 - beta2) * grad * grad
            let firstHat = state[0] / (1 - pow(beta1, Double(step)))
            let secondHat = state[1] / (1 - pow(beta2, Double(step)))
            p -= lr * firstHat / (secondHat.squareRoot() + Double(h.epsilon))
        }
    }
}

/// `f(p) = ½ Σ aᵢ (pᵢ − cᵢ)²` with curvatures in [0.5, 2], minima away from 0, and starts 1 to
/// 2 away from the minima (sign-like updates such as RMSprop's turn chaotic around a minimum,
/// where Float and Double runs part ways).
public struct RandomQuadratic: Sendable {
    /// The curvatures aᵢ.
    public let curvature: [Float]
    /// The minima cᵢ.
    public let center: [Float]
    /// Where the runs start.
    public let start: [Float]

    /// The quadratic the optimizer cases minimize, over a `[37, 29]` parameter.
    public static let optimizerCases = RandomQuadratic(count: 37 * 29, seed: 404)

    /// A quadratic of `count` variables drawn from `seed`.
    public init(count: Int, seed: UInt64) {
        curvature = randomValues(count, in: 0.5...2, seed: seed)
        center = randomValues(count, in: 0.5...1, seed: seed + 1).enumerated().map { $0.offset % 2 == 0 ? $0.element : -$0.element }
        start = zip(center, randomValues(count, in: -1...1, seed: seed + 2)).map { c, shift in c + shift + (shift > 0 ? 1 : -1) }
    }

    /// The parameters after `steps` steps on `device` (gradients computed in Float on the host).
    public func run(_ optimizer: OptimizerCase, on device: any Device, shape: [Int], steps: Int) throws -> [Float] {
        let parameter = try Tensor(start, shape: shape, on: device)
        let zeros = [Float](repeating: 0, count: start.count)
        let state = try (0..<optimizer.stateCount).map { _ in try Tensor(zeros, shape: shape, on: device) }
        for step in 1...steps {
            let p = try parameter.toArray()
            let gradient = try Tensor((0..<p.count).map { curvature[$0] * (p[$0] - center[$0]) }, shape: shape, on: device)
            try optimizer.step(device, parameter: parameter, gradient: gradient, state: state, step: step)
        }
        return try parameter.toArray()
    }

    /// The same run in Double.
    public func reference(_ optimizer: OptimizerCase, steps: Int) -> [Double] {
        start.indices.map { i in
            var p = Double(start[i])
            var state = [Double](repeating: 0, count: optimizer.stateCount)
            for step in 1...steps {
                optimizer.referenceStep(&p, gradient: Double(curvature[i]) * (p - Double(center[i])), state: &state, step: step)
            }
            return p
        }
    }
}

/// Gradients of odd sizes, one large enough for many work-groups, for the norm and clipping ops.
public enum GradientList {
    /// The tensors' shapes.
    public static let shapes = [[1], [3, 5], [1_000_003], [17, 3, 3]]

    /// Each tensor's values.
    public static func values() -> [[Float]] {
        shapes.enumerated().map { index, shape in cachedRandomValues(Tensor.elementCount(shape), seed: UInt64(50 + index)) }
    }

    /// The tensors on `device`.
    public static func tensors(on device: any Device) throws -> [Tensor] {
        try zip(values(), shapes).map { try Tensor($0, shape: $1, on: device) }
    }

    /// The global norm `sqrt(Σ x²)` over every tensor's values, in Double.
    public static func norm(_ values: [[Float]]) -> Double {
        values.joined().reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    }
}

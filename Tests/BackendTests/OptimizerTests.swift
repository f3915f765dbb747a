import Backend
import Foundation
import Testing
import TestSupport

/// The hyperparameters each `OptimizerCase` runs with.
enum OptimizerSettings {
    static let sgd = SGDHyperparameters(learningRate: 0.1, weightDecay: 0.01)
    static let momentum = SGDHyperparameters(learningRate: 0.05, momentum: 0.9, weightDecay: 0.01)
    static let nesterov = SGDHyperparameters(learningRate: 0.05, momentum: 0.9, nesterov: true)
    static let l1Strength: Float = 0.01
    static let rmsprop = RMSpropHyperparameters(learningRate: 0.003, decay: 0.9, weightDecay: 0.01)
    static let adam = AdamHyperparameters(learningRate: 0.01, weightDecay: 0.01)
    static let adamW = AdamHyperparameters.adamW(learningRate: 0.01, weightDecay: 0.1)
}

/// One optimizer configuration, run on a device and in Double on the host.
enum OptimizerCase: CaseIterable, Sendable {
    case sgd, sgdMomentum, sgdNesterov, sgdWithL1, rmsprop, adam, adamW

    /// Number of state tensors the optimizer keeps.
    var stateCount: Int {
        switch self {
        case .sgd, .sgdWithL1: 0
        case .sgdMomentum, .sgdNesterov, .rmsprop: 1
        case .adam, .adamW: 2
        }
    }

    /// One step on a device.
    func step(_ device: any Device, parameter: Tensor, gradient: Tensor, state: [Tensor], step: Int) throws {
        switch self {
        case .sgd: try device.sgdStep(parameter: parameter, gradient: gradient, velocity: nil, OptimizerSettings.sgd)
        case .sgdMomentum: try device.sgdStep(parameter: parameter, gradient: gradient, velocity: state[0], OptimizerSettings.momentum)
        case .sgdNesterov: try device.sgdStep(parameter: parameter, gradient: gradient, velocity: state[0], OptimizerSettings.nesterov)
        case .sgdWithL1:
            try device.addL1Subgradient(parameter: parameter, strength: OptimizerSettings.l1Strength, to: gradient)
            try device.sgdStep(parameter: parameter, gradient: gradient, velocity: nil, OptimizerSettings.sgd)
        case .rmsprop: try device.rmspropStep(parameter: parameter, gradient: gradient, squareAverage: state[0], OptimizerSettings.rmsprop)
        case .adam, .adamW:
            try device.adamStep(
                parameter: parameter, gradient: gradient, firstMoment: state[0], secondMoment: state[1], step: step,
                self == .adam ? OptimizerSettings.adam : OptimizerSettings.adamW)
        }
    }

    /// The same step in Double on one element (`state` holds the element's state values).
    func referenceStep(_ p: inout Double, gradient: Double, state: inout [Double], step: Int) {
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
        case .rmsprop:
            let h = OptimizerSettings.rmsprop
            let grad = gradient + Double(h.weightDecay) * p
            state[0] = Double(h.decay) * state[0] + (1 - Double(h.decay)) * grad * grad
            p -= Double(h.learningRate) * grad / (state[0].squareRoot() + Double(h.epsilon))
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
struct RandomQuadratic {
    let curvature: [Float]
    let center: [Float]
    let start: [Float]

    init(count: Int, seed: UInt64) {
        curvature = randomValues(count, in: 0.5...2, seed: seed)
        center = randomValues(count, in: 0.5...1, seed: seed + 1).enumerated().map { $0.offset % 2 == 0 ? $0.element : -$0.element }
        start = zip(center, randomValues(count, in: -1...1, seed: seed + 2)).map { c, shift in c + shift + (shift > 0 ? 1 : -1) }
    }

    /// The parameters after `steps` steps on `device` (gradients computed in Float on the host).
    func run(_ optimizer: OptimizerCase, on device: any Device, shape: [Int], steps: Int) throws -> [Float] {
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
    func reference(_ optimizer: OptimizerCase, steps: Int) -> [Double] {
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

@Suite struct OptimizerTests {
    static let shape = [37, 29]
    static let quadratic = RandomQuadratic(count: 37 * 29, seed: 404)

    @Test(arguments: TestDevice.all, OptimizerCase.allCases)
    func hundredStepsMatchTheDoubleReference(_ testDevice: TestDevice, optimizer: OptimizerCase) throws {
        let result = try Self.quadratic.run(optimizer, on: testDevice.device, shape: Self.shape, steps: 100)
        let expected = Self.quadratic.reference(optimizer, steps: 100)
        expectClose(result, expected, tolerance: 1e-4, "\(optimizer)")
        // The run moved the parameters: a no-op update would fail here.
        #expect(relativeFrobeniusError(Self.quadratic.start, expected) > 0.1)
    }

    @Test(arguments: TestDevice.openCL, OptimizerCase.allCases)
    func openCLMatchesTheCPU(_ testDevice: TestDevice, optimizer: OptimizerCase) throws {
        let onDevice = try Self.quadratic.run(optimizer, on: testDevice.device, shape: Self.shape, steps: 100)
        let onCPU = try Self.quadratic.run(optimizer, on: CPUDevice.shared, shape: Self.shape, steps: 100)
        expectClose(onDevice, onCPU, tolerance: 1e-4, "\(optimizer)")
    }

    @Test(arguments: TestDevice.all)
    func l1SubgradientUsesTheSign(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let parameter = try Tensor([-2, 0, 3, -0.5, 0, 1, 7, -1, 4], shape: [9], on: device)
        let gradient = try Tensor([1, 1, 1, 1, 1, 1, 1, 1, 1], shape: [9], on: device)
        try device.addL1Subgradient(parameter: parameter, strength: 0.25, to: gradient)
        #expect(try gradient.toArray() == [0.75, 1, 1.25, 0.75, 1, 1.25, 1.25, 0.75, 1.25])
    }

    /// Tensors of odd sizes, one large enough for many work-groups.
    static func gradientList(on device: any Device) throws -> [Tensor] {
        try [[1], [3, 5], [1_000_003], [17, 3, 3]].enumerated().map { index, shape in
            try randomTensor(shape, seed: UInt64(50 + index), on: device)
        }
    }

    static func referenceNorm(_ tensors: [Tensor]) throws -> Double {
        try tensors.reduce(0.0) { sum, tensor in try tensor.toArray().reduce(sum) { $0 + Double($1) * Double($1) } }.squareRoot()
    }

    @Test(arguments: TestDevice.all)
    func globalNormAndScaling(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let tensors = try Self.gradientList(on: device)
        let expected = try Self.referenceNorm(tensors)
        let norm = try poisonedTensor([1], on: device)
        try device.globalNorm(tensors, into: norm)
        expectClose([try norm.item()], [expected], tolerance: 1e-5, "global norm")

        let before = try tensors.map { try $0.toArray() }
        try device.scale(tensors, by: -0.5)
        for (tensor, values) in zip(tensors, before) {
            expectClose(try tensor.toArray(), values.map { -0.5 * Double($0) }, tolerance: 1e-7, "scale")
        }
    }

    @Test(arguments: TestDevice.all)
    func clippingScalesOnlyWhenTheNormIsTooLarge(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let tensors = try Self.gradientList(on: device)
        let original = try Self.referenceNorm(tensors)
        let norm = try poisonedTensor([1], on: device)
        let before = try tensors.map { try $0.toArray() }
        try device.clipByGlobalNorm(tensors, maxNorm: Float(original * 2), norm: norm)
        #expect(try tensors.map { try $0.toArray() } == before)
        try device.clipByGlobalNorm(tensors, maxNorm: 3, norm: norm)
        expectClose([try norm.item()], [original], tolerance: 1e-5, "norm before clipping")
        expectClose([Float(try Self.referenceNorm(tensors))], [3.0], tolerance: 1e-5, "norm after clipping")
    }

    @Test(arguments: TestDevice.all)
    func badArgumentsThrow(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let p = try Tensor(uninitializedShape: [6], on: device)
        let short = try Tensor(uninitializedShape: [5], on: device)
        let momentum = SGDHyperparameters(learningRate: 0.1, momentum: 0.9)
        #expect(throws: BackendError.self) { try device.sgdStep(parameter: p, gradient: p, velocity: nil, momentum) }
        #expect(throws: BackendError.self) {
            try device.sgdStep(parameter: p, gradient: p, velocity: nil, SGDHyperparameters(learningRate: 0.1, nesterov: true))
        }
        #expect(throws: BackendError.self) { try device.sgdStep(parameter: p, gradient: short, velocity: nil, OptimizerSettings.sgd) }
        #expect(throws: BackendError.self) {
            try device.rmspropStep(parameter: p, gradient: p, squareAverage: short, OptimizerSettings.rmsprop)
        }
        #expect(throws: BackendError.self) {
            try device.adamStep(parameter: p, gradient: p, firstMoment: p, secondMoment: p, step: 0, OptimizerSettings.adam)
        }
        #expect(throws: BackendError.self) {
            try device.adamStep(parameter: p, gradient: p, firstMoment: short, secondMoment: p, step: 1, OptimizerSettings.adam)
        }
        #expect(throws: BackendError.self) { try device.addL1Subgradient(parameter: p, strength: 1, to: short) }
        #expect(throws: BackendError.self) { try device.globalNorm([p], into: short) }
    }
}

import Backend
import Foundation
import Testing
import TestSupport

/// Update rules beyond their parity cases (`ParityCatalog.optimizer`, run by `ParityTests`).
@Suite struct OptimizerTests {
    /// The reference runs move the parameters: a device that did not update them would fail.
    @Test(arguments: OptimizerCase.allCases)
    func referenceRunsMoveTheParameters(optimizer: OptimizerCase) {
        let quadratic = RandomQuadratic.optimizerCases
        #expect(relativeFrobeniusError(quadratic.start, quadratic.reference(optimizer, steps: 100)) > 0.1)
    }

    @Test(arguments: TestDevice.all)
    func l1SubgradientUsesTheSign(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let parameter = try Tensor([-2, 0, 3, -0.5, 0, 1, 7, -1, 4], shape: [9], on: device)
        let gradient = try Tensor([1, 1, 1, 1, 1, 1, 1, 1, 1], shape: [9], on: device)
        try device.addL1Subgradient(parameter: parameter, strength: 0.25, to: gradient)
        #expect(try gradient.toArray() == [0.75, 1, 1.25, 0.75, 1, 1.25, 1.25, 0.75, 1.25])
    }

    @Test(arguments: TestDevice.all)
    func clippingLeavesSmallNormsAlone(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let tensors = try GradientList.tensors(on: device)
        let before = try tensors.map { try $0.toArray() }
        let norm = try poisonedTensor([1], on: device)
        try device.clipByGlobalNorm(tensors, maxNorm: Float(GradientList.norm(before) * 2), norm: norm)
        #expect(try tensors.map { try $0.toArray() } == before)
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
            try device.rmspropStep(
                parameter: p, gradient: p, squareAverage: short, gradientAverage: nil, momentumBuffer: nil, OptimizerSettings.rmsprop)
        }
        #expect(throws: BackendError.self) {
            try device.rmspropStep(
                parameter: p, gradient: p, squareAverage: p, gradientAverage: nil, momentumBuffer: nil, OptimizerSettings.rmspropMomentum)
        }
        #expect(throws: BackendError.self) {
            try device.rmspropStep(
                parameter: p, gradient: p, squareAverage: p, gradientAverage: nil, momentumBuffer: p, OptimizerSettings.rmspropCentered)
        }
        #expect(throws: BackendError.self) {
            try device.rmspropStep(
                parameter: p, gradient: p, squareAverage: p, gradientAverage: short, momentumBuffer: p, OptimizerSettings.rmspropCentered)
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

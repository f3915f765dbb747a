import Backend
import NN
import TestSupport
import Testing
import Training

/// Same seed, same data: every device trains the same way.
@Suite struct TrainerParityTests {
    /// The loss of each of the first `steps` training steps of `makeModel` on `data`.
    static func stepLosses(
        steps: Int, data: Dataset, on device: any Device, makeModel: (any Device) throws -> any LayerContainer
    ) throws -> [Float] {
        let trainer = try TrainingFixtures.trainer(makeModel(device), on: device)
        let batchSize = 32
        let epochs = (steps * batchSize + data.count - 1) / data.count
        try trainer.fit(data, options: FitOptions(epochs: epochs, batchSize: batchSize, seed: 3))
        return Array(trainer.stepLosses.prefix(steps))
    }

    static func expectSameLosses(_ actual: [Float], _ reference: [Float], device: TestDevice) {
        #expect(actual.count == reference.count)
        for (step, (value, expected)) in zip(actual, reference).enumerated() {
            let relative = abs(Double(value) - Double(expected)) / abs(Double(expected))
            #expect(relative <= 1e-3, "step \(step) on \(device): loss \(value), CPU \(expected)")
        }
    }

    @Test(arguments: TestDevice.openCL)
    func mlpLossesMatchTheCPUForFiftySteps(device: TestDevice) throws {
        let data = TrainingFixtures.digits.train
        let reference = try Self.stepLosses(steps: 50, data: data, on: CPUDevice.shared) { try TrainingFixtures.mlp(on: $0) }
        let losses = try Self.stepLosses(steps: 50, data: data, on: device.device) { try TrainingFixtures.mlp(on: $0) }
        Self.expectSameLosses(losses, reference, device: device)
    }

    @Test(arguments: TestDevice.openCL)
    func residualGraphLossesMatchTheCPUForFiftySteps(device: TestDevice) throws {
        let data = TrainingFixtures.digits.train
        let reference = try Self.stepLosses(steps: 50, data: data, on: CPUDevice.shared) { try TrainingFixtures.residualGraph(on: $0) }
        let losses = try Self.stepLosses(steps: 50, data: data, on: device.device) { try TrainingFixtures.residualGraph(on: $0) }
        Self.expectSameLosses(losses, reference, device: device)
    }

    @Test(arguments: TestDevice.openCL)
    func cnnLossesMatchTheCPUForFiftySteps(device: TestDevice) throws {
        let data = try TrainingFixtures.digits.train.withFeatureShape([1, 8, 8])
        let reference = try Self.stepLosses(steps: 50, data: data, on: CPUDevice.shared) { try TrainingFixtures.cnn(on: $0) }
        let losses = try Self.stepLosses(steps: 50, data: data, on: device.device) { try TrainingFixtures.cnn(on: $0) }
        Self.expectSameLosses(losses, reference, device: device)
    }

    @Test(arguments: TestDevice.openCL)
    func finalTestAccuraciesAgree(device: TestDevice) throws {
        func accuracies(on device: any Device) throws -> [Double] {
            let mlp = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device), on: device)
            try mlp.fit(TrainingFixtures.digits.train, options: FitOptions(epochs: 8, batchSize: 32, seed: 5))
            let images = try TrainingFixtures.digits.train.withFeatureShape([1, 8, 8])
            let cnn = try TrainingFixtures.trainer(TrainingFixtures.cnn(on: device), on: device)
            try cnn.fit(images, options: FitOptions(epochs: 5, batchSize: 32, seed: 5))
            return [
                try #require(mlp.evaluate(TrainingFixtures.digits.test).metrics["accuracy"]),
                try #require(cnn.evaluate(TrainingFixtures.digits.test.withFeatureShape([1, 8, 8])).metrics["accuracy"]),
            ]
        }
        let cpu = try accuracies(on: CPUDevice.shared)
        let openCL = try accuracies(on: device.device)
        for (model, (onCPU, onOpenCL)) in zip(["MLP", "CNN"], zip(cpu, openCL)) {
            #expect(onCPU > 0.93, "\(model) on the CPU: \(onCPU)")
            #expect(abs(onCPU - onOpenCL) * 100 <= 0.5, "\(model) test accuracy: CPU \(onCPU), \(device) \(onOpenCL)")
        }
    }
}

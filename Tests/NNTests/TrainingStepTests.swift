import Backend
import NN
import Testing
import TestSupport

/// The one training step every caller shares.
struct TrainingStepTests {
    static func mlp(on device: any Device) throws -> Sequential {
        Sequential([
            try Dense(inputs: 12, outputs: 16, activation: .relu, initializer: .heUniform, seed: 1, on: device),
            try Dense(inputs: 16, outputs: 3, seed: 2, on: device),
        ])
    }

    @Test(arguments: TestDevice.all)
    func aStepNeverWaitsForTheDeviceAndLowersTheLoss(device: TestDevice) throws {
        // A device of its own: tests running beside this one use the shared devices' counters.
        let own = try privateTwin(of: device.device)
        let step = TrainingStep(
            model: try Self.mlp(on: own), loss: .crossEntropy, optimizer: try Optimizer(.adam(), learningRate: 0.05))
        let inputs = try Tensor((0..<96).map { Float($0 % 7) / 7 - 0.5 }, shape: [8, 12], on: own)
        let labels = try Tensor((0..<8).map { Float($0 % 3) }, shape: [8], on: own)
        let before = own.counters
        let results = try (0..<20).map { try step.run(inputs: inputs, targets: labels, number: UInt64($0)) }
        let during = own.counters - before
        #expect(during.synchronizations == 0)
        #expect(during.bytesDownloaded == 0)
        let first = try #require(results.first), last = try #require(results.last)
        #expect(try last.loss.item() < first.loss.item() / 2)
        #expect(first.output.shape == [8, 3])
    }

    @Test(arguments: TestDevice.all)
    func inspectGradientsSeesEveryParameterBeforeTheUpdate(device: TestDevice) throws {
        let model = try Self.mlp(on: device.device)
        let step = TrainingStep(model: model, loss: .crossEntropy, optimizer: try Optimizer(.sgd(), learningRate: 0.1))
        let inputs = try Tensor([Float](repeating: 0.5, count: 24), shape: [2, 12], on: device.device)
        let labels = try Tensor([0, 2], shape: [2], on: device.device)
        let weightBefore = try model.parameters[0].value.toArray()
        var seen: [Variable] = []
        var weightSeen: [Float] = []
        try step.run(inputs: inputs, targets: labels, number: 0) { parameters in
            seen = parameters
            weightSeen = try parameters[0].value.toArray()
        }
        #expect(seen.count == model.parameters.count)
        #expect(weightSeen == weightBefore)
        #expect(try model.parameters[0].value.toArray() != weightBefore)
    }
}

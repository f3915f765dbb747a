import Backend
import NN
import TestSupport
import Testing
import Training

@Suite struct DiagnosticsTests {
    static func history(train: [Double], validation: [Double?]) -> TrainingHistory {
        TrainingHistory(epochs: zip(train, validation).enumerated().map { index, losses in
            EpochRecord(
                epoch: index + 1, trainLoss: losses.0, validationLoss: losses.1, samplesPerSecond: 1000,
                peakDeviceMemoryBytes: 1 << 20, learningRate: 0.01, wallTimeSeconds: 1)
        })
    }

    @Test func overfittingIsNamedWithTheBestEpoch() {
        let history = Self.history(
            train: [1.0, 0.6, 0.4, 0.3, 0.2, 0.1, 0.05], validation: [1.1, 0.7, 0.5, 0.45, 0.5, 0.6, 0.7])
        let diagnosis = TrainingDiagnostics().diagnose(history: history, baselineLoss: 2.3)
        #expect(diagnosis.has(.overfitting) && !diagnosis.has(.underfitting))
        let finding = diagnosis.findings[0]
        #expect(finding.kind == .overfitting && finding.severity == .warning)
        #expect(finding.numbers["best_epoch"] == 4)
        #expect(finding.message.contains("epoch 4"))
        #expect(diagnosis.has(.performance))
    }

    @Test func underfittingIsHighOrFlatLoss() {
        let high = Self.history(train: [2.2, 2.0, 1.9, 1.85, 1.84], validation: [2.2, 2.0, 1.9, 1.86, 1.85])
        #expect(TrainingDiagnostics().diagnose(history: high, baselineLoss: 2.3).has(.underfitting))
        let flat = Self.history(train: [1.0, 0.9, 0.9, 0.9, 0.9, 0.9], validation: [1, 1, 1, 1, 1, 1])
        #expect(TrainingDiagnostics().diagnose(history: flat).has(.underfitting))
        let healthy = Self.history(train: [2.0, 1.0, 0.5, 0.25, 0.12], validation: [2.0, 1.0, 0.55, 0.3, 0.2])
        let diagnosis = TrainingDiagnostics().diagnose(history: healthy, baselineLoss: 2.3)
        #expect(!diagnosis.has(.underfitting) && !diagnosis.has(.overfitting) && diagnosis.has(.fit))
    }

    @Test func lossSpikesMeanUnstableTraining() {
        let history = Self.history(train: [1, 0.8, 0.7], validation: [nil, nil, nil])
        var losses = [Float](repeating: 0.5, count: 200)
        for index in stride(from: 30, to: 200, by: 20) { losses[index] = 4 }
        let diagnosis = TrainingDiagnostics().diagnose(history: history, stepLosses: losses)
        #expect(diagnosis.has(.unstableTraining))
        #expect(diagnosis.findings.first { $0.kind == .unstableTraining }?.numbers["spikes"] == 9)
        #expect(!TrainingDiagnostics().diagnose(history: history, stepLosses: [Float](repeating: 0.5, count: 200)).has(.unstableTraining))
    }

    @Test(arguments: TestDevice.all)
    func vanishingAndExplodingGradientsAreFoundPerLayer(device: TestDevice) throws {
        // Eight sigmoid layers starve the first layers of gradient.
        var layers: [any Layer] = []
        for index in 0..<8 {
            layers.append(try Dense(
                inputs: index == 0 ? 64 : 32, outputs: 32, activation: .sigmoid, initializer: .glorotNormal,
                seed: UInt64(index), on: device.device))
        }
        layers.append(try Dense(inputs: 32, outputs: 10, seed: 9, on: device.device))
        let deep = try TrainingFixtures.trainer(Sequential(layers), learningRate: 1e-3, on: device.device)
        try deep.fit(TrainingFixtures.digits.train, options: FitOptions(epochs: 1, batchSize: 64, gradientSampleInterval: 5))
        let diagnosis = TrainingDiagnostics().diagnose(deep)
        let vanishing = try #require(diagnosis.findings.first { $0.kind == .vanishingGradients })
        #expect(vanishing.message.contains("layer 0"))
        #expect(try #require(vanishing.numbers["layer_0_median_norm"]) < 1e-3 * #require(vanishing.numbers["layer_8_median_norm"]))

        // A huge learning rate on unscaled inputs blows the gradients up.
        let raw = try BundledDataset.digits.load()
        let wild = try Trainer(
            model: TrainingFixtures.mlp(on: device.device), loss: .crossEntropy, optimizer: Optimizer(.sgd(), learningRate: 5),
            device: device.device)
        do {
            try wild.fit(raw, options: FitOptions(epochs: 1, batchSize: 64, gradientSampleInterval: 1))
        } catch is TrainingError {}
        #expect(TrainingDiagnostics().diagnose(wild).has(.explodingGradients))

        let healthy = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device.device), on: device.device)
        try healthy.fit(TrainingFixtures.digits.train, options: FitOptions(epochs: 1, batchSize: 64))
        let summary = TrainingDiagnostics().diagnose(healthy)
        #expect(summary.has(.gradients) && !summary.has(.vanishingGradients) && !summary.has(.explodingGradients))
        #expect(summary.description.contains("[info] gradients: median gradient norm per layer"))
    }
}

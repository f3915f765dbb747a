import Backend
import Foundation
import NN
import TestSupport
import Testing
import Training

@Suite struct CheckpointResumeTests {
    static let options = FitOptions(epochs: 4, batchSize: 64, seed: 9)

    static func weights(_ model: any LayerContainer) throws -> [String: [Float]] {
        Dictionary(uniqueKeysWithValues: try model.namedState.map { ($0.name, try $0.variable.value.toArray()) })
    }

    @Test(arguments: TestDevice.all)
    func aResumedRunEndsWithTheSameWeightsAsAnUninterruptedOne(device: TestDevice) throws {
        let data = TrainingFixtures.digits.train
        let folder = try TemporaryFolder()
        let uninterrupted = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device.device), on: device.device)
        try uninterrupted.fit(data, validation: .split(fraction: 0.1), options: Self.options)

        var firstHalf = Self.options
        firstHalf.epochs = 2
        let interrupted = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device.device), on: device.device)
        let checkpoint = try ModelCheckpoint(folder: folder.url)
        try interrupted.fit(data, validation: .split(fraction: 0.1), options: firstHalf, callbacks: [checkpoint])

        // A fresh process: other initial weights (the same dropout stream, which is part of the
        // model's description), state only from the file.
        let resumed = try TrainingFixtures.trainer(TrainingFixtures.mlp(seed: 99, on: device.device), on: device.device)
        try resumed.restoreCheckpoint(from: checkpoint.latestURL)
        #expect(resumed.epoch == 2 && resumed.step == interrupted.step && resumed.history == interrupted.history)
        try resumed.fit(data, validation: .split(fraction: 0.1), options: Self.options)

        #expect(resumed.epoch == 4 && resumed.step == uninterrupted.step)
        #expect(try Self.weights(resumed.model) == Self.weights(uninterrupted.model))
        #expect(resumed.history.epochs.map(\.trainLoss) == uninterrupted.history.epochs.map(\.trainLoss))
    }

    /// Early stopping that triggers after the resume, with its best epoch before the resume:
    /// the resumed run must stop at the same epoch and restore the same weights (from the best
    /// checkpoint, as the best epoch's weights were never in its memory).
    @Test func aResumedRunStopsEarlyWhereTheUninterruptedOneDoes() throws {
        let device = CPUDevice.shared
        let data = TrainingFixtures.digits.train
        let options = FitOptions(epochs: 12, batchSize: 64, seed: 9)
        // Training loss as the monitor with a large min delta: stops early, deterministically.
        let monitor = try Monitor("train_loss")
        func stopping(_ folder: TemporaryFolder) throws -> (EarlyStopping, ModelCheckpoint) {
            let checkpoint = try ModelCheckpoint(folder: folder.url, bestMonitor: monitor, bestMinDelta: 0.2)
            let stopping = try EarlyStopping(
                monitor: monitor, patience: 1, minDelta: 0.2, bestWeightsFile: checkpoint.bestURL)
            return (stopping, checkpoint)
        }
        let uninterruptedFolder = try TemporaryFolder()
        let uninterrupted = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device), on: device)
        let (uninterruptedStopping, uninterruptedCheckpoint) = try stopping(uninterruptedFolder)
        try uninterrupted.fit(data, options: options, callbacks: [uninterruptedStopping, uninterruptedCheckpoint])
        let stopEpoch = uninterrupted.epoch
        let bestEpoch = try #require(uninterruptedStopping.bestEpoch)
        #expect(stopEpoch < options.epochs && bestEpoch == stopEpoch - 2)

        let folder = try TemporaryFolder()
        var firstPart = options
        firstPart.epochs = bestEpoch + 1
        let interrupted = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device), on: device)
        let (firstStopping, firstCheckpoint) = try stopping(folder)
        try interrupted.fit(data, options: firstPart, callbacks: [firstStopping, firstCheckpoint])
        #expect(interrupted.epoch == bestEpoch + 1)

        let resumed = try TrainingFixtures.trainer(TrainingFixtures.mlp(seed: 99, on: device), on: device)
        try resumed.restoreCheckpoint(from: firstCheckpoint.latestURL)
        let (secondStopping, secondCheckpoint) = try stopping(folder)
        try resumed.fit(data, options: options, callbacks: [secondStopping, secondCheckpoint])
        #expect(resumed.epoch == stopEpoch)
        #expect(secondStopping.bestEpoch == bestEpoch)
        #expect(try Self.weights(resumed.model) == Self.weights(uninterrupted.model))
    }

    @Test func checkpointsUseStableNamesAndCarryTheRunInMetadata() throws {
        let device = CPUDevice.shared
        let folder = try TemporaryFolder()
        let model = Sequential([
            try Dense(inputs: 64, outputs: 8, seed: 1, on: device), try BatchNorm(channels: 8, spatial: false, on: device),
            Activation(.relu), try Dense(inputs: 8, outputs: 10, seed: 2, on: device),
        ])
        let trainer = try TrainingFixtures.trainer(model, on: device)
        try trainer.fit(TrainingFixtures.digits.train, options: FitOptions(epochs: 1, batchSize: 128))
        let url = folder.url.appendingPathComponent("run.safetensors")
        try trainer.saveCheckpoint(to: url)
        let file = try SafeTensors.read(url)
        #expect(Set(file.arrays.map(\.name)) == [
            "0.dense.weight", "0.dense.bias", "1.batchnorm1d.gamma", "1.batchnorm1d.beta",
            "1.batchnorm1d.running_mean", "1.batchnorm1d.running_var", "3.dense.weight", "3.dense.bias",
            "optimizer.0.dense.weight.first_moment", "optimizer.0.dense.weight.second_moment",
            "optimizer.0.dense.bias.first_moment", "optimizer.0.dense.bias.second_moment",
            "optimizer.1.batchnorm1d.gamma.first_moment", "optimizer.1.batchnorm1d.gamma.second_moment",
            "optimizer.1.batchnorm1d.beta.first_moment", "optimizer.1.batchnorm1d.beta.second_moment",
            "optimizer.3.dense.weight.first_moment", "optimizer.3.dense.weight.second_moment",
            "optimizer.3.dense.bias.first_moment", "optimizer.3.dense.bias.second_moment",
        ])
        #expect(file.metadata["epoch"] == "1")
        #expect(file.metadata["step"] == String(trainer.step))
        #expect(file["1.batchnorm1d.running_mean"]?.values == (try model.namedBuffers[0].variable.value.toArray()))

        let sgd = try Trainer(
            model: TrainingFixtures.mlp(on: device), loss: .crossEntropy, optimizer: Optimizer(.sgd(momentum: 0.9), learningRate: 0.1),
            device: device)
        #expect(throws: TrainingError.self) { try sgd.restoreCheckpoint(from: url) }
    }

    @Test(arguments: TestDevice.all)
    func pretrainedWeightsLoadIntoANewHeadAndFrozenLayersStayPut(device: TestDevice) throws {
        let folder = try TemporaryFolder()
        let pretrained = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device.device), on: device.device)
        try pretrained.fit(TrainingFixtures.digits.train, options: FitOptions(epochs: 2, batchSize: 64, seed: 1))
        let url = folder.url.appendingPathComponent("weights.safetensors")
        try ModelWeights.save(pretrained.model, to: url)

        // Same body, a head for the binary task "digit ≥ 5".
        let model = Sequential([
            try Dense(inputs: 64, outputs: 32, activation: .relu, seed: 50, on: device.device),
            try Dropout(probability: 0.1, seed: 51),
            try Dense(inputs: 32, outputs: 2, seed: 52, on: device.device),
        ])
        #expect(throws: TrainingError.self) { try ModelWeights.load(from: url, into: model) }
        let report = try ModelWeights.load(from: url, into: model, strict: false)
        #expect(report.loaded == ["0.dense.weight", "0.dense.bias"])
        #expect(report.mismatched.count == 2 && report.missing.isEmpty && report.unexpected.isEmpty)
        #expect(try model.layers[0].parameters[0].value.toArray() == pretrained.model.parameters[0].value.toArray())

        try model.freeze(first: 1)
        #expect(model.trainableParameterCount == 32 * 2 + 2)
        let body = try Self.weights(model).filter { $0.key.hasPrefix("0.") }
        let head = try Self.weights(model).filter { $0.key.hasPrefix("2.") }
        let train = TrainingFixtures.digits.train
        let binary = try Dataset(
            features: train.features, featureShape: train.featureShape, targets: train.targets.map { $0 >= 5 ? 1 : 0 },
            task: .classification(classNames: ["low", "high"]))
        let fineTuner = try TrainingFixtures.trainer(model, on: device.device)
        try fineTuner.fit(binary, options: FitOptions(epochs: 2, batchSize: 64, seed: 2))
        #expect(try Self.weights(model).filter { $0.key.hasPrefix("0.") } == body)
        #expect(try Self.weights(model).filter { $0.key.hasPrefix("2.") } != head)
        #expect(fineTuner.gradientNorms.parameterNames == ["2.dense.weight", "2.dense.bias"])
        #expect(try #require(fineTuner.history.epochs.last?.metrics["accuracy"]) > 0.85)
    }

    @Test func aGraphsWeightsAreNamedByNodeAndLoadBack() throws {
        let device = CPUDevice.shared
        let trainer = try TrainingFixtures.trainer(TrainingFixtures.residualGraph(on: device), on: device)
        try trainer.fit(TrainingFixtures.digits.train, options: FitOptions(epochs: 1, batchSize: 64))
        #expect(trainer.model.namedParameters.map(\.name) == ["a.weight", "a.bias", "b.weight", "b.bias", "head.weight", "head.bias"])
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("graph.safetensors")
        try ModelWeights.save(trainer.model, to: file)
        let fresh = try TrainingFixtures.residualGraph(on: device)
        try ModelWeights.load(from: file, into: fresh)
        #expect(try Self.weights(fresh) == Self.weights(trainer.model))
        #expect(trainer.history.epochs.count == 1 && trainer.history.epochs[0].metrics["accuracy"] ?? 0 > 0.5)
    }
}

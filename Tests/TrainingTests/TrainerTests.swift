import Backend
import Foundation
import NN
import TestSupport
import Testing
import Training

@Suite struct TrainerTests {
    @Test(arguments: TestDevice.all)
    func fitRecordsEveryEpochAndLearns(device: TestDevice) throws {
        let trainer = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device.device), on: device.device)
        let history = try trainer.fit(
            TrainingFixtures.digits.train, validation: .split(fraction: 0.2), options: FitOptions(epochs: 3, batchSize: 64, seed: 2))
        #expect(history.epochs.map(\.epoch) == [1, 2, 3])
        #expect(trainer.epoch == 3)
        let stepsPerEpoch = (1150 + 63) / 64
        #expect(trainer.step == 3 * stepsPerEpoch)
        for record in history.epochs {
            #expect(record.validationLoss != nil)
            #expect(record.metrics["accuracy"] != nil && record.metrics["val_accuracy"] != nil)
            #expect(record.samplesPerSecond > 0)
            #expect(record.peakDeviceMemoryBytes > 0)
            #expect(record.learningRate == Double(Float(1e-2)))
        }
        #expect(history.epochs[2].trainLoss < history.epochs[0].trainLoss)
        #expect(try #require(history.epochs.last?.metrics["val_accuracy"]) > 0.85)
        #expect(!trainer.gradientNorms.samples.isEmpty)
        #expect(trainer.gradientNorms.parameterNames == ["0.dense.weight", "0.dense.bias", "2.dense.weight", "2.dense.bias"])
    }

    @Test(arguments: TestDevice.all)
    func evaluateAndPredictAgree(device: TestDevice) throws {
        let trainer = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device.device), on: device.device)
        try trainer.fit(TrainingFixtures.digits.train, options: FitOptions(epochs: 2, batchSize: 64, seed: 2))
        let test = TrainingFixtures.digits.test
        let evaluation = try trainer.evaluate(test, batchSize: 100)
        let outputs = try trainer.predict(test, batchSize: 37)
        #expect(outputs.width == 10 && outputs.count == test.count)
        expectClose(outputs.values, evaluation.outputs.values, tolerance: 1e-5, "predictions")
        let accuracy = try Metric.accuracy.compute(outputs, targets: test.targets)
        #expect(abs(try #require(evaluation.metrics["accuracy"]) - accuracy) < 1e-12)
        #expect(evaluation.loss > 0 && evaluation.loss < 1)
    }

    /// 40 digits whose sample 25 holds a NaN: unshuffled batches of 10 put it in batch 3 of 4.
    static func dataWithNaN() throws -> Dataset {
        let clean = try TrainingFixtures.digits.train.subset(Array(0..<40))
        var features = clean.features
        features[25 * 64 + 5] = .nan
        return try clean.replacing(features: features)
    }

    @Test(arguments: TestDevice.all)
    func aNonFiniteLossNamesTheEpochAndBatchAndStopsAtTheNextRead(device: TestDevice) throws {
        let linear = try Sequential([Dense(inputs: 64, outputs: 10, seed: 3, on: device.device)])
        let trainer = try TrainingFixtures.trainer(linear, on: device.device)
        let error = try #require(throws: TrainingError.self) {
            try trainer.fit(
                Self.dataWithNaN(), options: FitOptions(epochs: 2, batchSize: 10, seed: 0, shuffle: false, progressInterval: 0))
        }
        guard case let .nonFiniteLoss(epoch, batch, batchCount, value) = error else {
            Issue.record("expected a non-finite loss, got \(error)")
            return
        }
        #expect(epoch == 1 && batch == 3 && batchCount == 4 && value.isNaN)
        #expect(error.description.contains("epoch 1, batch 3 of 4"))
        // Read after every step: nothing ran after the bad batch.
        #expect(trainer.step == 3)
        #expect(trainer.stepLosses.count == 2)
    }

    @Test(arguments: TestDevice.all)
    func aNonFiniteLossFoundAtTheEpochsEndStillNamesItsBatch(device: TestDevice) throws {
        let linear = try Sequential([Dense(inputs: 64, outputs: 10, seed: 3, on: device.device)])
        let trainer = try TrainingFixtures.trainer(linear, on: device.device)
        let error = try #require(throws: TrainingError.self) {
            try trainer.fit(
                Self.dataWithNaN(),
                options: FitOptions(epochs: 2, batchSize: 10, seed: 0, shuffle: false, progressInterval: .infinity))
        }
        guard case let .nonFiniteLoss(epoch, batch, batchCount, _) = error else {
            Issue.record("expected a non-finite loss, got \(error)")
            return
        }
        #expect(epoch == 1 && batch == 3 && batchCount == 4)
        #expect(trainer.step == 4)
        #expect(trainer.history.epochs.isEmpty)
    }

    @Test(arguments: TestDevice.all)
    func aNaNThatAReLUHidesFromTheLossIsCaughtInTheGradients(device: TestDevice) throws {
        let trainer = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device.device), on: device.device)
        let error = try #require(throws: TrainingError.self) {
            try trainer.fit(
                Self.dataWithNaN(), options: FitOptions(epochs: 2, batchSize: 10, seed: 0, shuffle: false, progressInterval: 0))
        }
        #expect(error == .nonFiniteWeights(parameter: "0.dense.weight", epoch: 1, batches: 3...3, batchCount: 4))
        #expect(error.description.contains("epoch 1, batch 3 of 4"))
    }

    @Test func mismatchedLossAndDataAreRefusedUpFront() throws {
        let device = CPUDevice.shared
        let regression = try Trainer(
            model: TrainingFixtures.mlp(on: device), loss: .meanSquaredError, optimizer: Optimizer(.sgd(), learningRate: 0.1),
            device: device)
        #expect(throws: TrainingError.self) {
            try regression.fit(TrainingFixtures.digits.train, options: FitOptions(epochs: 1, batchSize: 8))
        }
        let wrongWidth = try TrainingFixtures.trainer(
            Sequential([Dense(inputs: 64, outputs: 3, seed: 1, on: device)]), on: device)
        #expect(throws: TrainingError.self) {
            try wrongWidth.fit(TrainingFixtures.digits.train, options: FitOptions(epochs: 1, batchSize: 8))
        }
    }

    @Test func binaryAndRegressionTasksTrain() throws {
        let device = CPUDevice.shared
        let cancer = try BundledDataset.breastCancer.load().split(validation: 0, test: 0.25, seed: 4)
        let scaler = try StandardScaler.fit(cancer.train)
        let binary = try Trainer(
            model: Sequential([Dense(inputs: 30, outputs: 16, activation: .relu, seed: 1, on: device), Dense(inputs: 16, outputs: 1, seed: 2, on: device)]),
            loss: .binaryCrossEntropy, optimizer: Optimizer(.adam(), learningRate: 1e-2), metrics: [.accuracy, .rocAUC], device: device)
        try binary.fit(scaler.transform(cancer.train), options: FitOptions(epochs: 10, batchSize: 32, seed: 1))
        let binaryResult = try binary.evaluate(scaler.transform(cancer.test))
        #expect(try #require(binaryResult.metrics["accuracy"]) > 0.93)
        #expect(try #require(binaryResult.metrics["roc_auc"]) > 0.97)

        let diabetes = try BundledDataset.diabetes.load().split(validation: 0, test: 0.2, seed: 4)
        let inputs = try StandardScaler.fit(diabetes.train)
        let targets = try StandardScaler.fit(diabetes.train.targets, featureCount: 1)
        func prepared(_ part: Dataset) throws -> Dataset {
            try inputs.transform(part).replacing(features: inputs.transform(part.features), targets: targets.transform(part.targets))
        }
        let regression = try Trainer(
            model: Sequential([Dense(inputs: 10, outputs: 16, activation: .relu, seed: 1, on: device), Dense(inputs: 16, outputs: 1, seed: 2, on: device)]),
            loss: .meanSquaredError, optimizer: Optimizer(.adam(), learningRate: 1e-2), metrics: [.r2], device: device)
        try regression.fit(prepared(diabetes.train), options: FitOptions(epochs: 30, batchSize: 32, seed: 1))
        #expect(try #require(regression.evaluate(prepared(diabetes.test)).metrics["r2"]) > 0.3)
    }
}

/// Training steps enqueue work and never wait for the device; the trainer reads their figures
/// back a bounded number of times per epoch.
struct TrainerWaitTests {
    static func waits(batches: Int, on device: any Device) throws -> DeviceCounters {
        let data = try TrainingFixtures.digits.train.subset(Array(0..<(batches * 16)))
        let trainer = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device), on: device)
        let before = device.counters
        try trainer.fit(data, options: FitOptions(epochs: 1, batchSize: 16, progressInterval: .infinity))
        #expect(trainer.stepLosses.count == batches)
        return device.counters - before
    }

    @Test(arguments: TestDevice.all)
    func theWaitsOfAnEpochDoNotGrowWithItsBatches(device: TestDevice) throws {
        // A device of its own: tests running beside this one use the shared devices' counters.
        let own = try privateTwin(of: device.device)
        let short = try Self.waits(batches: 4, on: own)
        let long = try Self.waits(batches: 12, on: own)
        #expect(long.synchronizations == short.synchronizations)
        #expect(short.synchronizations <= 4)
    }
}

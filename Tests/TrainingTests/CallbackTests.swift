import Backend
import NN
import TestSupport
import Testing
import Training

/// Keeps a snapshot of the weights after every epoch.
final class WeightRecorder: TrainingCallback {
    var snapshots: [Int: ModelSnapshot] = [:]

    func epochDidEnd(_ trainer: Trainer, record: EpochRecord) throws -> CallbackDecision {
        snapshots[record.epoch] = try ModelSnapshot(of: trainer.model)
        return .proceed
    }
}

@Suite struct CallbackTests {
    @Test(arguments: TestDevice.all)
    func earlyStoppingStopsAndRestoresTheBestWeights(device: TestDevice) throws {
        // 40 training samples and a wide network over-fit within a few epochs.
        let train = try TrainingFixtures.digits.train.subset(Array(0..<40))
        let validation = try TrainingFixtures.digits.train.subset(Array(40..<400))
        let trainer = try TrainingFixtures.trainer(TrainingFixtures.mlp(hidden: 128, dropout: 0, on: device.device), learningRate: 0.05, on: device.device)
        let recorder = WeightRecorder()
        let stopping = try EarlyStopping(patience: 2)
        try trainer.fit(
            train, validation: .dataset(validation), options: FitOptions(epochs: 40, batchSize: 20, seed: 1),
            callbacks: [recorder, stopping])
        let best = try #require(stopping.bestEpoch)
        #expect(trainer.epoch == best + 3)
        #expect(trainer.epoch < 40)
        #expect(trainer.stopReason?.contains("early stopping") == true)
        let losses = trainer.history.epochs.compactMap(\.validationLoss)
        #expect(losses.min() == losses[best - 1])
        #expect(try ModelSnapshot(of: trainer.model) == recorder.snapshots[best])
        #expect(try ModelSnapshot(of: trainer.model) != recorder.snapshots[trainer.epoch])
    }

    @Test func scheduleAndPlateauSetTheLearningRate() throws {
        let device = CPUDevice.shared
        let trainer = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device), learningRate: 0.01, on: device)
        try trainer.fit(
            TrainingFixtures.digits.train, options: FitOptions(epochs: 5, batchSize: 256),
            callbacks: [LearningRateScheduler(.step(every: 2, factor: 0.5), baseRate: 0.01)])
        #expect(trainer.history.epochs.map { Float($0.learningRate) } == [0.01, 0.01, 0.005, 0.005, 0.0025])

        // The training loss never rises above its first value, so "maximize train_loss" plateaus at once.
        let plateau = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device), learningRate: 0.01, on: device)
        try plateau.fit(
            TrainingFixtures.digits.train, options: FitOptions(epochs: 4, batchSize: 256),
            callbacks: [PlateauScheduler(monitor: Monitor("train_loss", greaterIsBetter: true), rule: ReduceOnPlateau(factor: 0.1, patience: 1))])
        #expect(plateau.history.epochs.map { Float($0.learningRate) } == [0.01, 0.01, 0.01, 0.001])
    }

    @Test func theEpochReporterCanStopAndItsErrorsReachTheCaller() throws {
        struct Pruned: Error {}
        let device = CPUDevice.shared
        var reported: [Int: Double] = [:]
        let trainer = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device), on: device)
        try trainer.fit(
            TrainingFixtures.digits.train, validation: .split(fraction: 0.2), options: FitOptions(epochs: 10, batchSize: 128),
            callbacks: [EpochReporter(monitor: Monitor("val_accuracy")) { epoch, value in
                reported[epoch] = value
                return epoch == 3
            }])
        #expect(trainer.epoch == 3 && reported.count == 3)
        #expect(reported[3] == trainer.history.epochs[2].metrics["val_accuracy"])

        let pruned = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device), on: device)
        #expect(throws: Pruned.self) {
            try pruned.fit(
                TrainingFixtures.digits.train, options: FitOptions(epochs: 10, batchSize: 128),
                callbacks: [EpochReporter(monitor: Monitor("train_loss")) { _, _ in throw Pruned() }])
        }
        #expect(pruned.epoch == 1)
        #expect(throws: TrainingError.self) { try Monitor("val_nonsense") }
    }

    @Test func theProgressBarWritesPlainLinesOffATerminal() throws {
        let device = CPUDevice.shared
        var text = ""
        let bar = ProgressBar(style: .lines, lineInterval: 0) { text += $0 }
        let trainer = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device), on: device)
        try trainer.fit(
            TrainingFixtures.digits.train, validation: .split(fraction: 0.2), options: FitOptions(epochs: 2, batchSize: 512, progressInterval: 0),
            callbacks: [bar])
        let lines = text.split(separator: "\n")
        #expect(!text.contains("\r"))
        #expect(lines.first?.hasPrefix("training on 1150 samples in 3 batches per epoch, 288 validation samples") == true)
        #expect(lines.contains { $0.hasPrefix("epoch 1/2  1/3  loss ") && $0.contains("accuracy") && $0.contains("ETA") })
        #expect(lines.contains { $0.hasPrefix("epoch 2/2  loss ") && $0.contains("val_accuracy") && $0.contains("samples/s") })

        var terminal = ""
        let redrawn = ProgressBar(style: .terminal, refreshInterval: 0) { terminal += $0 }
        try trainer.fit(TrainingFixtures.digits.train, options: FitOptions(epochs: 3, batchSize: 512, progressInterval: 0), callbacks: [redrawn])
        #expect(terminal.contains("\repoch 3/3 [") && terminal.contains("]  2/3  loss"))
    }

    @Test func everyStepIsReportedWithoutAReadAndProgressOnlyAfterOne() throws {
        final class Counter: TrainingCallback {
            var steps: [Int] = []
            var progressReports = 0
            func stepDidEnd(_ trainer: Trainer, epoch: Int, batch: Int) throws { steps.append(batch) }
            func batchDidEnd(_ trainer: Trainer, progress: BatchProgress) throws { progressReports += 1 }
        }
        let device = CPUDevice.shared
        let data = try TrainingFixtures.digits.train.subset(Array(0..<96))
        let trainer = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device), on: device)
        let counter = Counter()
        try trainer.fit(data, options: FitOptions(epochs: 2, batchSize: 32, progressInterval: .infinity), callbacks: [counter])
        #expect(counter.steps == [1, 2, 3, 1, 2, 3])
        #expect(counter.progressReports == 0)
        let every = Counter()
        try trainer.fit(data, options: FitOptions(epochs: 3, batchSize: 32, progressInterval: 0), callbacks: [every])
        #expect(every.steps == [1, 2, 3] && every.progressReports == 2)
    }
}

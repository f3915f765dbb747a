import Backend
import Foundation
import NN

/// A training description made real on a device: the prepared data, the model, the trainer
/// and the callbacks the description asks for. `swifttune train` and tuning trials both run
/// descriptions through this.
public final class TrainingRun {
    public let description: TrainingDescription
    public let data: PreparedData
    public let trainer: Trainer
    /// What `init:` loaded into the model (nil without `init:`).
    public let initialization: WeightLoadReport?

    /// Loads the data and builds the model and optimizer on `device`. Model errors (a layer that
    /// does not fit its input) name the layer's key and line.
    public init(_ description: TrainingDescription, device: any Device) throws {
        self.description = description
        data = try description.data.prepare(seed: description.seed, baseFolder: description.baseFolder)
        let model = try Self.buildModel(description, inputShape: data.train.featureShape, on: device)
        initialization = try description.initialization?.load(into: model, baseFolder: description.baseFolder)
        let outputWidth = try model.outputShape(for: data.train.featureShape).reduce(1, *)
        let loss = description.training.loss ?? Self.defaultLoss(for: data.train, outputWidth: outputWidth)
        trainer = Trainer(
            model: model, loss: loss, optimizer: try description.training.optimizer.make(),
            metrics: description.training.metrics ?? Self.defaultMetrics(for: data.train, loss: loss), device: device)
    }

    /// The model of `description` for samples of `inputShape`; layer (or node) `i` draws its
    /// weights (or dropout masks) from stream `seed · 1000 + i`. Errors name the layer's key and line.
    static func buildModel(_ description: TrainingDescription, inputShape: [Int], on device: any Device) throws -> any LayerContainer {
        func build(_ layer: LayerDescription, index: Int, inputShape: [Int]) throws -> any Layer {
            do {
                return try layer.build(inputShape: inputShape, seed: description.seed &* 1000 &+ UInt64(index), on: device)
            } catch let error as DescriptionError {
                throw error
            } catch {
                throw description.modelSites[index].error("cannot build this layer for inputs of shape \(inputShape): \(error)")
            }
        }
        switch description.model {
        case let .sequence(layers):
            var built: [any Layer] = []
            var shape = inputShape
            for (index, layer) in layers.enumerated() {
                let made = try build(layer, index: index, inputShape: shape)
                shape = try Self.checked(description.modelSites[index], shape) { try made.outputShape(for: shape) }
                built.append(made)
            }
            return Sequential(built)
        case let .graph(nodes):
            var shapes = [Graph.inputName: inputShape]
            var built: [Graph.Node] = []
            for (index, node) in nodes.enumerated() {
                let inputs = node.inputs.compactMap { shapes[$0] }
                let operation: Graph.Operation
                switch node.operation {
                case let .layer(layer):
                    guard let input = inputs.first else { throw description.modelSites[index].error("this node reads no node") }
                    operation = .layer(try build(layer, index: index, inputShape: input))
                case .add: operation = .add
                case .concat: operation = .concat
                }
                let made = Graph.Node(node.name, operation, inputs: node.inputs)
                shapes[node.name] = try Self.checked(description.modelSites[index], inputs.first ?? inputShape) {
                    try Graph.outputShape(of: made, inputs: inputs)
                }
                built.append(made)
            }
            return try Graph(built)
        }
    }

    /// `shape()`, with an error that names where the layer or node was written.
    private static func checked(_ site: DescriptionSite, _ input: [Int], _ shape: () throws -> [Int]) throws -> [Int] {
        do {
            return try shape()
        } catch {
            throw site.error("does not fit inputs of shape \(input): \(error)")
        }
    }

    /// Cross-entropy for classes (binary cross-entropy when one output serves two classes), MSE
    /// for regression.
    static func defaultLoss(for data: Dataset, outputWidth: Int) -> Loss {
        guard data.isClassification else { return .meanSquaredError }
        return data.classCount == 2 && outputWidth == 1 ? .binaryCrossEntropy : .crossEntropy
    }

    /// Accuracy (and ROC AUC for two classes), or R² and MAE for regression.
    static func defaultMetrics(for data: Dataset, loss: Loss) -> [Metric] {
        guard data.isClassification else { return [.r2, .meanAbsoluteError] }
        return data.classCount == 2 ? [.accuracy, .rocAUC] : [.accuracy]
    }

    /// The fit options of the description.
    public var fitOptions: FitOptions {
        FitOptions(
            epochs: description.training.epochs, batchSize: description.training.batchSize, seed: description.seed,
            augmentation: description.data.augmentation, gradientSampleInterval: description.training.gradientSampleInterval)
    }

    /// The described callbacks: LR schedule, early stopping, then `extra` (e.g. a tuning
    /// trial's `EpochReporter`), the progress display, and with an output folder the history
    /// writer and checkpoints last.
    public func callbacks(outputFolder: URL?, progress: ProgressBar?, extra: [any TrainingCallback] = []) throws -> [any TrainingCallback] {
        let settings = description.training
        let hasValidation = data.validation != nil
        var callbacks: [any TrainingCallback] = []
        if let progress { callbacks.append(progress) }
        switch settings.schedule {
        case let .schedule(schedule):
            callbacks.append(LearningRateScheduler(schedule, baseRate: settings.optimizer.learningRate))
        case let .plateau(monitor, rule):
            callbacks.append(PlateauScheduler(monitor: try usable(Monitor(monitor), hasValidation: hasValidation), rule: rule))
        case nil:
            break
        }
        let stoppingMonitor = try settings.earlyStopping.map { try usable(Monitor($0.monitor), hasValidation: hasValidation) }
        // The best checkpoint follows the early-stopping monitor, so a resumed run can restore
        // the best weights of an epoch before the resume from it.
        let checkpoint = try outputFolder.map {
            try ModelCheckpoint(
                folder: $0, every: settings.checkpointEvery,
                bestMonitor: stoppingMonitor ?? (hasValidation ? .validationLoss : nil),
                bestMinDelta: settings.earlyStopping?.minDelta ?? 0)
        }
        if let stopping = settings.earlyStopping, let stoppingMonitor {
            callbacks.append(try EarlyStopping(
                monitor: stoppingMonitor, patience: stopping.patience, minDelta: stopping.minDelta,
                restoreBestWeights: stopping.restoreBestWeights, bestWeightsFile: checkpoint?.bestURL))
        }
        callbacks += extra
        if let outputFolder, let checkpoint {
            callbacks.append(HistoryWriter(folder: outputFolder))
            callbacks.append(checkpoint)
        }
        return callbacks
    }

    /// Refuses to watch a validation value without validation data.
    private func usable(_ monitor: Monitor, hasValidation: Bool) throws -> Monitor {
        if !hasValidation, monitor.key.hasPrefix("val") {
            throw TrainingError.invalidArgument(
                op: "training", detail: "'\(monitor)' needs validation data; set data.validation above 0")
        }
        return monitor
    }

    /// Trains as described (continuing after a restored checkpoint's epoch).
    @discardableResult
    public func fit(outputFolder: URL? = nil, progress: ProgressBar? = nil, extra: [any TrainingCallback] = []) throws -> TrainingHistory {
        try trainer.fit(
            data.train, validation: data.validation.map { .dataset($0) } ?? .none, options: fitOptions,
            callbacks: callbacks(outputFolder: outputFolder, progress: progress, extra: extra))
    }

    /// The loss and metrics on the test part, when there is one.
    public func evaluateTest() throws -> Evaluation? {
        try data.test.map { try trainer.evaluate($0) }
    }

    /// The loss of a constant prediction on the training data: the entropy of the class
    /// frequencies, or the variance of the targets.
    public var baselineLoss: Double {
        let targets = data.train.targets
        guard data.train.isClassification else {
            let mean = targets.reduce(0) { $0 + Double($1) } / Double(max(targets.count, 1))
            return targets.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(max(targets.count, 1))
        }
        return data.train.classCounts().reduce(0) { entropy, count in
            guard count > 0 else { return entropy }
            let p = Double(count) / Double(targets.count)
            return entropy - p * log(p)
        }
    }

    /// The diagnosis of the run so far.
    public func diagnose() -> Diagnosis {
        TrainingDiagnostics().diagnose(trainer, baselineLoss: baselineLoss)
    }

    /// The compressions the description asks for, each measured on the test part (else the
    /// validation part) and undone afterwards.
    public func compress() throws -> [CompressionResult] {
        guard let compression = description.compression, let target = data.test ?? data.validation else { return [] }
        var results: [CompressionResult] = []
        if let sparsity = compression.pruneSparsity {
            results.append(try trainer.evaluatePruning(sparsity: sparsity, scope: compression.pruneScope, on: target).result)
        }
        if let granularity = compression.quantization {
            results.append(try trainer.evaluateQuantization(granularity: granularity, on: target).result)
        }
        return results
    }
}

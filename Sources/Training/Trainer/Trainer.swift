import Backend
import Foundation
import NN

/// Trains a `Sequential` model with a loss and an optimizer, evaluates it and predicts with it.
///
/// Each training step records the forward pass on its own `Tape` (numbered by the step, so
/// dropout draws anew each step and identically on every device), runs the backward pass and
/// applies the optimizer. The trainer never asks which device it runs on.
///
/// The trainer keeps where it stands (`epoch`, `step`, `history`), so a fit can be continued by
/// a later `fit` with more epochs, and a trainer restored from a checkpoint resumes exactly.
public final class Trainer {
    /// The model being trained.
    public let model: Sequential
    /// The loss minimized.
    public let loss: Loss
    /// The update rule; LR callbacks change its `learningRate`.
    public let optimizer: Optimizer
    /// Metrics computed on the training outputs of each epoch and on the validation data (as
    /// `val_<name>`).
    public var metrics: [Metric]
    /// Where the model's tensors and the batches live.
    public let device: any Device
    /// Epochs completed (counting from 1; 0 before training).
    public internal(set) var epoch = 0
    /// Training steps taken (the next step's tape number).
    public internal(set) var step = 0
    /// One record per completed epoch.
    public internal(set) var history = TrainingHistory()
    /// Gradient norms sampled during training.
    public private(set) var gradientNorms = GradientNormLog()
    /// The loss of every training step this trainer took (steps restored from a checkpoint are
    /// not included); the diagnosis looks for spikes in it.
    public private(set) var stepLosses: [Float] = []
    /// Why the last fit stopped before its last epoch, or nil when it ran to the end.
    public private(set) var stopReason: String?

    /// A trainer of `model` (whose parameters live on `device`).
    public init(model: Sequential, loss: Loss, optimizer: Optimizer, metrics: [Metric] = [], device: any Device) {
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
        self.metrics = metrics
        self.device = device
    }

    /// Trains until epoch `options.epochs` (or until a callback stops it) and returns the
    /// history of every epoch so far.
    ///
    /// Throws `TrainingError.nonFiniteLoss` naming the epoch and batch when the loss becomes NaN
    /// or infinite (the update of that batch is not applied).
    @discardableResult
    public func fit(
        _ data: Dataset, validation: ValidationData = .none, options: FitOptions, callbacks: [any TrainingCallback] = []
    ) throws -> TrainingHistory {
        try options.validate()
        let (trainingSet, validationSet) = try Self.separate(data, validation: validation, seed: options.seed)
        try checkCompatible(trainingSet)
        if let validationSet { try checkCompatible(validationSet) }
        let loader = try DataLoader(
            trainingSet, batchSize: options.batchSize, on: device, shuffle: options.shuffle, seed: options.seed,
            augmentation: options.augmentation)
        let trainable = model.namedParameters.filter(\.variable.requiresGrad)
        if gradientNorms.parameterNames != trainable.map(\.name) {
            gradientNorms = GradientNormLog(parameterNames: trainable.map(\.name), layerIndices: trainable.map(\.layerIndex))
        }
        stopReason = nil
        let plan = FitPlan(
            firstEpoch: epoch + 1, lastEpoch: options.epochs, batchCount: loader.batchCount,
            samplesPerEpoch: loader.samplesPerEpoch, validationSamples: validationSet?.count ?? 0)
        for callback in callbacks { try callback.fitWillBegin(self, plan: plan) }
        var next = epoch + 1
        while next <= options.epochs {
            for callback in callbacks { try callback.epochWillBegin(self, epoch: next) }
            let record = try runEpoch(next, plan: plan, loader: loader, validation: validationSet, options: options, callbacks: callbacks)
            history.append(record)
            epoch = next
            var decision = CallbackDecision.proceed
            for callback in callbacks {
                let answer = try callback.epochDidEnd(self, record: record)
                if decision == .proceed { decision = answer }
            }
            if case let .stop(reason) = decision {
                stopReason = reason
                break
            }
            next += 1
        }
        for callback in callbacks { try callback.fitDidEnd(self) }
        return history
    }

    /// The loss and metrics of the model on `dataset`, in evaluation mode (dropout off, batch
    /// norm on its running statistics), with the outputs.
    public func evaluate(_ dataset: Dataset, batchSize: Int = 512) throws -> Evaluation {
        try checkCompatible(dataset)
        let loader = try DataLoader(dataset, batchSize: batchSize, on: device, shuffle: false)
        var lossSum = 0.0
        var values: [Float] = []
        var width = 1
        try loader.forEachBatch(epoch: 0) { batch in
            let tape = Tape.inference()
            let output = try model.forward(Variable(batch.inputs), tape: tape)
            lossSum += Double(try loss(output, batch.targets, tape: tape).value.item()) * Double(batch.count)
            values += try output.value.toArray()
            width = output.value.count / batch.count
        }
        let outputs = try ModelOutputs(values, width: width, kind: .logits)
        return Evaluation(
            loss: lossSum / Double(max(dataset.count, 1)), metrics: computeMetrics(outputs, targets: dataset.targets),
            outputs: outputs)
    }

    /// The model's outputs for every sample of `dataset` (evaluation mode): logits for
    /// classification, values for regression.
    public func predict(_ dataset: Dataset, batchSize: Int = 512) throws -> ModelOutputs {
        let loader = try DataLoader(dataset, batchSize: batchSize, on: device, shuffle: false)
        var values: [Float] = []
        var width = 1
        try loader.forEachBatch(epoch: 0) { batch in
            let output = try predict(batch.inputs)
            values += try output.toArray()
            width = output.count / batch.count
        }
        return try ModelOutputs(values, width: width, kind: .logits)
    }

    /// The model's output for one batch of inputs on the trainer's device (evaluation mode).
    public func predict(_ inputs: Tensor) throws -> Tensor {
        try model.forward(Variable(inputs), tape: .inference()).value
    }

    // MARK: - One epoch

    private func runEpoch(
        _ number: Int, plan: FitPlan, loader: DataLoader, validation: Dataset?, options: FitOptions,
        callbacks: [any TrainingCallback]
    ) throws -> EpochRecord {
        let clock = ContinuousClock()
        let start = clock.now
        device.pool.resetPeak()
        let wantsOutputs = !metrics.isEmpty
        let runningAccuracy = metrics.contains(.accuracy)
        var lossSum = 0.0
        var seen = 0
        var correct = 0
        var outputs: [Float] = []
        var targets: [Float] = []
        var width = 1
        let batches = loader.batchIndices(epoch: number)
        for (index, indices) in batches.enumerated() {
            let batch = try loader.makeBatch(indices, epoch: number)
            let (lossValue, output) = try trainStep(
                batch, epoch: number, batchNumber: index + 1, batchCount: batches.count, options: options)
            lossSum += Double(lossValue) * Double(batch.count)
            seen += batch.count
            var running: [String: Double] = [:]
            if wantsOutputs {
                let values = try output.toArray()
                width = output.count / batch.count
                let batchTargets = indices.map { loader.dataset.targets[$0] }
                outputs += values
                targets += batchTargets
                if runningAccuracy {
                    let predicted = try ModelOutputs(values, width: width).predictedClasses()
                    correct += zip(predicted, batchTargets).filter { Float($0) == $1 }.count
                    running[Metric.accuracy.rawValue] = Double(correct) / Double(seen)
                }
            }
            let progress = BatchProgress(
                epoch: number, lastEpoch: plan.lastEpoch, batch: index + 1, batchCount: batches.count, samplesSeen: seen,
                samplesPerEpoch: plan.samplesPerEpoch, loss: lossSum / Double(seen), metrics: running,
                elapsedSeconds: (clock.now - start).seconds)
            for callback in callbacks { try callback.batchDidEnd(self, progress: progress) }
        }
        try device.synchronize()
        let trainingSeconds = (clock.now - start).seconds
        var recordMetrics: [String: Double] = [:]
        if wantsOutputs {
            recordMetrics = computeMetrics(try ModelOutputs(outputs, width: width), targets: targets)
        }
        var validationLoss: Double?
        if let validation {
            let evaluation = try evaluate(validation, batchSize: options.evaluationBatchSize)
            validationLoss = evaluation.loss
            for (name, value) in evaluation.metrics { recordMetrics["val_" + name] = value }
        }
        return EpochRecord(
            epoch: number, trainLoss: lossSum / Double(max(seen, 1)), validationLoss: validationLoss, metrics: recordMetrics,
            samplesPerSecond: trainingSeconds > 0 ? Double(seen) / trainingSeconds : 0,
            peakDeviceMemoryBytes: device.pool.statistics.peakBytesInUse,
            learningRate: Double(optimizer.learningRate), wallTimeSeconds: (clock.now - start).seconds)
    }

    /// One step: forward on a fresh tape, loss (checked to be finite), backward, gradient
    /// sample, update. Returns the loss and the model's output.
    private func trainStep(
        _ batch: Batch, epoch: Int, batchNumber: Int, batchCount: Int, options: FitOptions
    ) throws -> (Float, Tensor) {
        let parameters = model.parameters
        for parameter in parameters { parameter.zeroGrad() }
        let tape = Tape(step: UInt64(step))
        let output = try model.forward(Variable(batch.inputs), tape: tape)
        let lossVariable = try loss(output, batch.targets, tape: tape)
        let lossValue = try lossVariable.value.item()
        guard lossValue.isFinite else {
            throw TrainingError.nonFiniteLoss(epoch: epoch, batch: batchNumber, batchCount: batchCount, value: lossValue)
        }
        try tape.backward(lossVariable)
        if options.checkGradients {
            try checkGradientsFinite(epoch: epoch, batchNumber: batchNumber, batchCount: batchCount)
        }
        if options.gradientSampleInterval > 0, step % options.gradientSampleInterval == 0 {
            try sampleGradientNorms(epoch: epoch)
        }
        try optimizer.step(parameters)
        stepLosses.append(lossValue)
        step += 1
        return (lossValue, output.value)
    }

    /// Throws `nonFiniteGradient` naming the first parameter whose gradient is not finite.
    private func checkGradientsFinite(epoch: Int, batchNumber: Int, batchCount: Int) throws {
        let named = model.namedParameters.filter { $0.variable.grad != nil }
        guard !named.isEmpty else { return }
        let norm = try Tensor(uninitializedShape: [1], on: device)
        try device.globalNorm(named.compactMap(\.variable.grad), into: norm)
        guard try !norm.item().isFinite else { return }
        var culprit = named.first?.name ?? "?"
        for parameter in named {
            guard let gradient = parameter.variable.grad else { continue }
            try device.globalNorm([gradient], into: norm)
            if try !norm.item().isFinite {
                culprit = parameter.name
                break
            }
        }
        throw TrainingError.nonFiniteGradient(parameter: culprit, epoch: epoch, batch: batchNumber, batchCount: batchCount)
    }

    private func sampleGradientNorms(epoch: Int) throws {
        let byName = Dictionary(model.namedParameters.map { ($0.name, $0.variable) }, uniquingKeysWith: { first, _ in first })
        let norm = try Tensor(uninitializedShape: [1], on: device)
        let norms = try gradientNorms.parameterNames.map { name -> Double in
            guard let gradient = byName[name]?.grad else { return 0 }
            try device.globalNorm([gradient], into: norm)
            return Double(try norm.item())
        }
        gradientNorms.append(.init(epoch: epoch, step: step, norms: norms))
    }
}

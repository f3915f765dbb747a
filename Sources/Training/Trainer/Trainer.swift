import Backend
import Foundation
import NN

/// Trains a model (a `Sequential` or a `Graph`) with a loss and an optimizer, evaluates it and predicts with it.
///
/// Each batch runs one `TrainingStep` (a forward pass on a tape numbered by the step, so dropout
/// draws anew each step and identically on every device, the backward pass and the update).
/// Steps only enqueue work: the loss, the outputs and the gradient norms stay on the device
/// (`PassRecorder`) and are read back a few times a second and at the end of each epoch
/// (`FitOptions.progressInterval`). The trainer never asks which device it runs on.
///
/// The trainer keeps where it stands (`epoch`, `step`, `history`), so a fit can be continued by
/// a later `fit` with more epochs, and a trainer restored from a checkpoint resumes exactly.
public final class Trainer {
    /// The model being trained.
    public let model: any LayerContainer
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
    public internal(set) var gradientNorms = GradientNormLog()
    /// The loss of every training step this trainer took (steps restored from a checkpoint are
    /// not included), as far as the trainer has read them back (at each progress read and at
    /// the end of each epoch); the diagnosis looks for spikes in it.
    public internal(set) var stepLosses: [Float] = []
    /// Why the last fit stopped before its last epoch, or nil when it ran to the end.
    public private(set) var stopReason: String?

    /// A trainer of `model` (whose parameters live on `device`).
    public init(model: any LayerContainer, loss: Loss, optimizer: Optimizer, metrics: [Metric] = [], device: any Device) {
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
    /// or infinite. The check runs when the trainer reads the recorded losses back, so the
    /// updates of the batches up to that read have been applied (`progressInterval: 0` reads
    /// after every step).
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
        let recorder = try inferencePass(over: dataset, batchSize: batchSize, withLoss: true)
        let outputs = try ModelOutputs(recorder.outputValues, width: recorder.width, kind: .logits)
        return Evaluation(
            loss: recorder.meanLoss, metrics: computeMetrics(outputs, targets: dataset.targets), outputs: outputs)
    }

    /// The model's outputs for every sample of `dataset` (evaluation mode): logits for
    /// classification, values for regression.
    public func predict(_ dataset: Dataset, batchSize: Int = 512) throws -> ModelOutputs {
        let recorder = try inferencePass(over: dataset, batchSize: batchSize, withLoss: false)
        return try ModelOutputs(recorder.outputValues, width: recorder.width, kind: .logits)
    }

    /// The model's output for one batch of inputs on the trainer's device (evaluation mode).
    public func predict(_ inputs: Tensor) throws -> Tensor {
        try model.forward(Variable(inputs), tape: .inference()).value
    }

    /// The step `fit` runs for each batch.
    public var trainingStep: TrainingStep { TrainingStep(model: model, loss: loss, optimizer: optimizer) }

    /// Runs the model over `dataset` in evaluation mode, recording the outputs (and the loss
    /// when `withLoss`) on the device, and reads them back once at the end.
    private func inferencePass(over dataset: Dataset, batchSize: Int, withLoss: Bool) throws -> PassRecorder {
        let loader = try DataLoader(dataset, batchSize: batchSize, on: device, shuffle: false)
        let recorder = try PassRecorder(
            batchCount: loader.batchCount, sampleCount: dataset.count, keepsLosses: withLoss, keepsOutputs: true, on: device)
        try loader.forEachBatch(epoch: 0) { batch in
            let tape = Tape.inference()
            let output = try model.forward(Variable(batch.inputs), tape: tape)
            let lossValue = withLoss ? try loss(output, batch.targets, tape: tape).value : nil
            try recorder.record(loss: lossValue, output: output.value, samples: batch.count)
        }
        try recorder.readBack()
        return recorder
    }
}

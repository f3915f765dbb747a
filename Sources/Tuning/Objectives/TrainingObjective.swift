import Backend
import Foundation
import Synchronization
import Training

/// Trains a training description (docs/train-file.md) per trial: the trial's parameters override
/// the description's declared parameters, key paths or common settings (`learning_rate`,
/// `batch_size`, ...), each epoch's value of `metric` is reported as the trial's intermediate
/// value, and a prune decision stops training after that epoch.
///
/// The trial's value is the best value of `metric` over its epochs. With `folds` (or the
/// description's `data.folds`), the trial trains once per fold instead: its value is the mean over
/// the folds of each fold's best value, and after fold `i` (counting from 1) the running mean is
/// its intermediate value at step `i`, so a pruner can stop it after its first fold. A parameter the description
/// does not know, a model that cannot be built, or training that diverges (a non-finite loss or
/// metric) fails the trial with the reason.
public struct TrainingObjective: Objective {
    /// The description file, absolute or relative to the working directory.
    public let descriptionPath: String
    /// The per-epoch value reported and optimized (`val_accuracy`, `validation_loss`, ...).
    public let metric: Monitor
    /// Where trials train.
    public let device: DeviceSelector
    /// Which complete trials keep their weights (`keep_weights`).
    public var keepWeights: TrialWeights.Policy = .best
    /// Where they keep them (`TrialWeights.folder`); nil keeps none. `StudyRunner` sets it.
    public var weightsFolder: URL?
    /// k of k-fold cross-validation per trial (overriding the description's `data.folds`).
    public let folds: Int?
    /// Overrides every trial applies before its parameters (`init.weights` for `init_weights`).
    public let overrides: [String: DescriptionValue]
    /// Further objectives after `metric`, measured on the trained model (a multi-objective study).
    public var modelMetrics: [ModelMetric] = []
    /// The population schedule of a population-based study; `check(for:)` then also refuses
    /// perturbing a parameter that changes the model's weights or the optimizer rule.
    public var population: PopulationSchedule?

    public init(
        descriptionPath: String, metric: Monitor, device: DeviceSelector, keepWeights: TrialWeights.Policy = .best,
        folds: Int? = nil, overrides: [String: DescriptionValue] = [:]
    ) {
        self.descriptionPath = descriptionPath
        self.metric = metric
        self.device = device
        self.keepWeights = keepWeights
        self.folds = folds
        self.overrides = overrides
    }

    /// The description with the objective's overrides, then `configuration`'s.
    func description(_ configuration: [String: ParameterValue]) throws -> TrainingDescription {
        try TrainingDescription.load(
            URL(fileURLWithPath: descriptionPath),
            overrides: overrides.merging(configuration.mapValues(DescriptionValue.init)) { _, trial in trial })
    }

    /// Trains on a thread of its own, so the training's seconds of blocking work never hold one
    /// of the few threads that Swift's concurrency shares between tasks (heartbeats, timers).
    /// Cancelling the task stops training after the current step, with `CancellationError`.
    public func evaluate(_ trial: Trial) async throws -> Double {
        let cancellation = CancellationCallback()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    continuation.resume(with: Result { try train(trial, cancellation: cancellation) })
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// Trains the trial's configuration, reporting each epoch (or each fold); returns the best
    /// epoch's value (or the mean over the folds).
    func train(_ trial: Trial, cancellation: CancellationCallback = CancellationCallback()) throws -> Double {
        if let member = trial.populationMember { return try trainMember(trial, member, cancellation: cancellation) }
        var description = try description(trial.params)
        if let folds { description.data.selection.folds = folds }
        if let folds = description.data.selection.folds {
            return try crossValidate(trial, description: description, folds: folds, cancellation: cancellation)
        }
        let run = try TrainingRun(description, device: try device.open())
        let metric = metric
        var best: Double?
        let reporter = EpochReporter(monitor: metric) { epoch, value in
            try trial.report(value, step: epoch)
            if metric.improves(value, on: best) { best = value }
            if try trial.shouldPrune() { throw TrialPruned() }
            return false
        }
        try run.fit(extra: [cancellation, reporter])
        guard let best else {
            throw TuningError.invalidSettings(component: "training objective", reason: "training ran no epoch")
        }
        try keep(run, trial: trial.number, value: best)
        try recordModelMetrics(trial, value: best, model: run.trainer.model)
        return best
    }

    /// Saves the trained run as trial `number`'s run folder, as `keepWeights` says.
    func keep(_ run: TrainingRun, trial number: Int, value: Double) throws {
        guard keepWeights != .none, let weightsFolder else { return }
        let folder = TrialWeights.trialFolder(weightsFolder, trial: number)
        try run.writeModelFolder(to: folder)
        try TrialWeights.record(trial: number, value: value, in: folder)
        if keepWeights == .best { TrialWeights.keepBest(in: weightsFolder, greaterIsBetter: metric.greaterIsBetter) }
    }
}

extension TrainingObjective {
    /// Throws if no trial could train: the description file is missing, the device does not
    /// exist, or the description does not take a configuration of the space (a parameter it does
    /// not know). Checked with `SearchSpace.representativeConfigurations()`.
    public func check(for space: SearchSpace) throws {
        func problem(_ reason: String) -> TuningError { .invalidSettings(component: "training objective", reason: reason) }
        guard FileManager.default.fileExists(atPath: descriptionPath) else {
            throw problem("no description file \(descriptionPath) (from \(FileManager.default.currentDirectoryPath))")
        }
        do {
            _ = try device.open()
        } catch {
            throw problem("device \(device): \(error)")
        }
        for configuration in space.representativeConfigurations() {
            do {
                _ = try description(configuration)
            } catch {
                throw problem("\(descriptionPath) does not take \(ProgressReport.describe(configuration)): \(error)")
            }
        }
        if let population { try checkPerturbable(population, space: space) }
    }
}

/// Stops training after the current step once `cancel()` was called (from another thread).
final class CancellationCallback: TrainingCallback, Sendable {
    private let cancelled = Atomic<Bool>(false)

    func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }

    func fitWillBegin(_ trainer: Trainer, plan: FitPlan) throws {
        if cancelled.load(ordering: .relaxed) { throw CancellationError() }
    }

    func stepDidEnd(_ trainer: Trainer, epoch: Int, batch: Int) throws {
        if cancelled.load(ordering: .relaxed) { throw CancellationError() }
    }
}

extension DescriptionValue {
    /// The description value of a trial's parameter.
    init(_ value: ParameterValue) {
        switch value {
        case let .double(number): self = .double(number)
        case let .int(number): self = .int(number)
        case let .string(text): self = .string(text)
        case let .bool(flag): self = .bool(flag)
        }
    }
}

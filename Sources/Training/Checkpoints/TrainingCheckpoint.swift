import Foundation
import NN

/// Checkpoints of a whole training run in one safetensors file: the model's parameters and
/// buffers under their checkpoint names (`0.dense.weight`; a PyTorch user can load these), the
/// optimizer's state as `optimizer.<parameter>.<state>` (`optimizer.0.dense.weight.first_moment`),
/// and in the metadata the epoch, the step, the optimizer's step count and learning rate, and
/// the history so far. Restoring one into a trainer of the same model and optimizer and fitting
/// on continues exactly where the run stopped.
public enum TrainingCheckpoint {
    /// The metadata value of `format`.
    public static let format = "swifttune-training-checkpoint-1"
    static let optimizerPrefix = "optimizer."

    /// Writes `trainer`'s state to `url` crash-safely (temporary file, then rename).
    public static func save(_ trainer: Trainer, to url: URL) throws {
        var arrays = try ModelSnapshot(of: trainer.model).arrays
        let optimizer = trainer.optimizer
        for named in trainer.model.namedParameters {
            let slots = try optimizer.stateTensors(for: named.variable)
            for (stateName, tensor) in zip(optimizer.rule.stateNames, slots) {
                arrays.append(try NamedArray(
                    name: optimizerPrefix + named.name + "." + stateName, shape: named.variable.shape, values: tensor.toArray()))
            }
        }
        let history = String(decoding: try trainer.history.json(), as: UTF8.self)
        let metadata = [
            "format": format, "epoch": String(trainer.epoch), "step": String(trainer.step),
            "optimizer_step": String(optimizer.stepCount), "learning_rate": "\(optimizer.learningRate)",
            "optimizer": "\(optimizer.rule)", "loss": trainer.loss.rawValue, "history": history,
        ]
        try SafeTensors.write(arrays, metadata: metadata, to: url)
    }

    /// Puts the state saved at `url` into `trainer`: weights, buffers, optimizer state and step
    /// count, learning rate, epoch, step and history. The model and optimizer rule must be the
    /// ones the checkpoint was saved from.
    public static func restore(_ trainer: Trainer, from url: URL) throws {
        let file = try SafeTensors.read(url)
        func fail(_ detail: String) -> TrainingError { .incompatibleWeights(file: url.path, detail: detail) }
        guard file.metadata["format"] == format else {
            throw fail("not a training checkpoint (metadata 'format' is \(file.metadata["format"].map { "'\($0)'" } ?? "missing"), expected '\(format)')")
        }
        guard let epoch = file.metadata["epoch"].flatMap(Int.init), let step = file.metadata["step"].flatMap(Int.init),
              let optimizerStep = file.metadata["optimizer_step"].flatMap(Int.init),
              let learningRate = file.metadata["learning_rate"].flatMap(Float.init), let historyText = file.metadata["history"]
        else {
            throw fail("the metadata lacks epoch, step, optimizer_step, learning_rate or history")
        }
        let savedRule = file.metadata["optimizer"] ?? "?"
        guard savedRule == "\(trainer.optimizer.rule)" else {
            throw fail("saved with optimizer \(savedRule), the trainer uses \(trainer.optimizer.rule)")
        }
        let history: TrainingHistory
        do {
            history = try JSONDecoder().decode(TrainingHistory.self, from: Data(historyText.utf8))
        } catch {
            throw fail("the history in the metadata cannot be read: \(error)")
        }
        // Checked before anything is put into the trainer, optimizer state included.
        for array in file.arrays { try ModelWeights.requireFinite(array, file: url.path) }
        try ModelWeights.load(file, named: url.path, into: trainer.model, strict: true)
        let optimizer = trainer.optimizer
        for named in trainer.model.namedParameters {
            let slots = try optimizer.stateTensors(for: named.variable)
            for (stateName, tensor) in zip(optimizer.rule.stateNames, slots) {
                let key = optimizerPrefix + named.name + "." + stateName
                guard let array = file[key], array.shape == named.variable.shape else {
                    throw fail("no optimizer state '\(key)' of shape \(named.variable.shape)")
                }
                try tensor.assign(array.values)
            }
        }
        optimizer.restore(stepCount: optimizerStep)
        optimizer.learningRate = learningRate
        trainer.epoch = epoch
        trainer.step = step
        trainer.history = history
    }
}

extension Trainer {
    /// Writes a checkpoint of the run (see `TrainingCheckpoint`).
    public func saveCheckpoint(to url: URL) throws {
        try TrainingCheckpoint.save(self, to: url)
    }

    /// Restores a checkpoint written by `saveCheckpoint`; a following `fit` resumes after its epoch.
    public func restoreCheckpoint(from url: URL) throws {
        try TrainingCheckpoint.restore(self, from: url)
    }
}

import Foundation
import Backend
import Training

/// A population member's generation (`PopulationSchedule`): trains epochs `firstEpoch ...
/// lastEpoch` of the member, starting from the checkpoint (weights, optimizer state, history)
/// that its parent trial saved, with the trial's hyperparameters (the learning rate and weight
/// decay are set on the restored optimizer, dropout rates are the model's). After each epoch the
/// member's checkpoint of this generation is saved, so a re-queued copy of a killed trial goes on
/// from the last finished epoch. The trial's value is `metric` after its last epoch: the member's
/// current performance, by which the next generation ranks it.
extension TrainingObjective {
    /// Where population members keep their checkpoints: `population/` in the weights folder.
    public static func populationFolder(_ weightsFolder: URL) -> URL {
        weightsFolder.appendingPathComponent("population")
    }

    /// The checkpoint of `member`'s generation `generation`.
    public static func memberCheckpoint(_ weightsFolder: URL, member: Int, generation: Int) -> URL {
        populationFolder(weightsFolder).appendingPathComponent("member-\(member)").appendingPathComponent("generation-\(generation).safetensors")
    }

    func trainMember(_ trial: Trial, _ member: PopulationMember, cancellation: CancellationCallback) throws -> Double {
        func problem(_ reason: String) -> TuningError { .invalidSettings(component: "population member \(member.member)", reason: reason) }
        guard let weightsFolder else {
            throw problem("population-based training needs a folder for its checkpoints (the study's weights folder)")
        }
        var description = try description(trial.params.merging(["epochs": .int(member.lastEpoch)]) { _, epochs in epochs })
        // Early stopping would end a generation early; the population's ranking replaces it.
        description.training.earlyStopping = nil
        let run = try TrainingRun(description, device: try device.open())
        let own = Self.memberCheckpoint(weightsFolder, member: member.member, generation: member.generation)
        if FileManager.default.fileExists(atPath: own.path) {
            try run.trainer.restoreCheckpoint(from: own)
        } else if let parent = member.parentTrial {
            let source = Self.memberCheckpoint(
                weightsFolder, member: member.copiedFrom ?? member.member, generation: member.generation - 1)
            guard FileManager.default.fileExists(atPath: source.path) else {
                throw problem("""
                    the checkpoint of trial \(parent) is not at \(source.path) (with PostgreSQL, every worker must \
                    run in the same working folder on a shared file system)
                    """)
            }
            try run.trainer.restoreCheckpoint(from: source)
        }
        // The restored optimizer keeps the saved rate; this generation trains with its own.
        run.trainer.optimizer.learningRate = description.training.optimizer.learningRate
        run.trainer.optimizer.weightDecay = description.training.optimizer.weightDecay
        let reporter = EpochReporter(monitor: metric) { epoch, value in
            try trial.report(value, step: epoch)
            return false
        }
        let checkpoint = try ModelCheckpoint(folder: own.deletingLastPathComponent(), latestName: own.lastPathComponent)
        try run.fit(extra: [cancellation, reporter, checkpoint])
        guard let last = run.trainer.history.epochs.last, last.epoch == member.lastEpoch, let value = metric.value(in: last) else {
            throw problem("training ended before epoch \(member.lastEpoch) or without '\(metric)'")
        }
        try keep(run, trial: trial.number, value: value)
        return value
    }
}

extension TrainingObjective {
    /// Throws when a parameter the schedule may perturb changes the model's weights (layer sizes)
    /// or the optimizer rule (momentum, betas): a checkpoint could not continue under the new
    /// value. Each such parameter must be listed under `scheduler.fixed`. Builds the model at
    /// the lowest and highest value of each number and at every choice.
    func checkPerturbable(_ schedule: PopulationSchedule, space: SearchSpace) throws {
        let base = space.representativeConfigurations().first ?? [:]
        let baseDescription = try description(base)
        let inputShape = try TrainingRun(baseDescription, device: CPUDevice(threads: 1)).data.train.featureShape
        let layout = try TrainingRun.checkpointLayout(of: baseDescription, inputShape: inputShape)
        for parameter in space.searchedParameters where !schedule.fixed.contains(parameter.name) {
            let distribution = parameter.distribution
            let values: [ParameterValue] = switch distribution {
            case let .categorical(choices): choices
            default: [distribution.value(fromUnit: 0), distribution.value(fromUnit: 1)]
            }
            for value in values {
                let changed = try TrainingRun.checkpointLayout(of: description(base.merging([parameter.name: value]) { $1 }), inputShape: inputShape)
                guard changed == layout else {
                    throw TuningError.invalidSettings(component: "scheduler pbt", reason: """
                        fixed: '\(parameter.name)' changes the model's weights or the optimizer rule (at \(value)), which \
                        cannot change during training; list it under scheduler.fixed (drawn once per member, copied with the weights)
                        """)
                }
            }
        }
    }
}

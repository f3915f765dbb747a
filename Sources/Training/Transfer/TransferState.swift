import Foundation
import NN

/// What a description's transfer settings did to a freshly built model: the weights loaded
/// and the layers frozen (all of training, or until `fine_tune` unfreezes them).
public struct TransferState: Sendable {
    /// The report of `init`, when the description starts from a weight file.
    public let initialWeights: InitialWeightsReport?
    /// The frozen layers (indices into the model's `namedLayers`), ascending.
    public let frozenLayers: [Int]
    /// When the frozen layers are unfrozen.
    public let fineTune: FineTuneDescription?

    /// Loads the initial weights into `model` and freezes the layers the description names.
    /// With `fine_tune` and no layer named, the layers whose every tensor came from the file (the
    /// pretrained base) are the ones frozen.
    init(_ description: TrainingDescription, model: any LayerContainer) throws {
        let transfer = description.transfer
        initialWeights = try transfer.initialWeights.map {
            try InitialWeights.load($0, baseFolder: description.baseFolder, into: model)
        }
        var frozen = try transfer.frozen.layerIndices(of: model)
        if frozen.isEmpty, transfer.fineTune != nil, let loaded = initialWeights.map({ Set($0.loaded) }) {
            let state = model.namedState
            frozen = model.namedLayers.indices.filter { index in
                let tensors = state.filter { $0.layerIndex == index }
                return !tensors.isEmpty && tensors.allSatisfy { loaded.contains($0.name) }
            }
        }
        try model.setTrainable(false, layers: frozen)
        frozenLayers = frozen
        fineTune = transfer.fineTune
    }

    /// Lines for the train command: what was loaded, what is frozen and until when.
    public func summary(of model: any LayerContainer) -> String? {
        var lines: [String] = []
        if let initialWeights { lines.append(initialWeights.text) }
        if !frozenLayers.isEmpty {
            let names = model.namedLayers
            let listed = frozenLayers.map { names.indices.contains($0) ? names[$0].name : "\($0)" }.joined(separator: ", ")
            let until = fineTune.map { " until epoch \($0.unfreezeAfterEpochs), then all train at rate \($0.learningRate)" } ?? ""
            lines.append("frozen: \(listed)\(until)")
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    /// The callback that unfreezes the frozen layers for `fine_tune`; `schedule` is the
    /// description's epoch schedule, which then scales the second phase's rate.
    func fineTuning(schedule: ScheduleDescription?) throws -> FineTuning? {
        guard let fineTune else { return nil }
        var epochSchedule: LearningRateSchedule?
        switch schedule {
        case let .schedule(value): epochSchedule = value
        case .plateau: throw fineTune.site.error("fine_tune sets the learning rate of its second phase, so it cannot be combined with a plateau schedule")
        case nil: break
        }
        return FineTuning(
            layers: frozenLayers, unfreezeAfterEpochs: fineTune.unfreezeAfterEpochs, learningRate: fineTune.learningRate,
            schedule: epochSchedule)
    }
}

/// The two-phase recipe: the frozen layers (a pretrained base) stay frozen for the first
/// `unfreezeAfterEpochs` epochs while the rest (a new head) trains; then every one of them
/// trains, at `learningRate` (scaled by the schedule when there is one), with the optimizer's
/// state started afresh, so no parameter inherits moments or a step count from the first phase.
/// A resumed fit picks up the phase from the trainer's epoch.
public final class FineTuning: TrainingCallback {
    public let layers: [Int]
    public let unfreezeAfterEpochs: Int
    public let learningRate: Float
    public let schedule: LearningRateSchedule?

    public init(layers: [Int], unfreezeAfterEpochs: Int, learningRate: Float, schedule: LearningRateSchedule? = nil) {
        self.layers = layers
        self.unfreezeAfterEpochs = unfreezeAfterEpochs
        self.learningRate = learningRate
        self.schedule = schedule
    }

    public func fitWillBegin(_ trainer: Trainer, plan: FitPlan) throws {
        try trainer.model.setTrainable(trainer.epoch >= unfreezeAfterEpochs, layers: layers)
    }

    public func epochWillBegin(_ trainer: Trainer, epoch: Int) throws {
        guard epoch > unfreezeAfterEpochs else { return }
        let first = epoch == unfreezeAfterEpochs + 1
        if first {
            try trainer.model.setTrainable(true, layers: layers)
            trainer.optimizer.resetState()
        }
        if let schedule {
            trainer.optimizer.learningRate = schedule.rate(base: learningRate, epoch: epoch - 1)
        } else if first {
            trainer.optimizer.learningRate = learningRate
        }
    }
}

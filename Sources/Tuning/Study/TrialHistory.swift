/// A worker's copy of a study's trials, kept current by applying only what changed in the
/// storage since the last look, with counts and the best trial maintained as changes arrive.
public struct TrialHistory: Sendable {
    /// Every trial, indexed by number.
    public private(set) var trials: [TrialRecord] = []
    /// The storage revision this copy reflects.
    public private(set) var revision: Int64 = 0
    /// How many trials are in each state.
    public private(set) var counts: [TrialState: Int] = [:]
    /// The number of the best complete trial.
    public private(set) var bestNumber: Int?
    /// Trials that finished (any final state) after the best one was found.
    public private(set) var finishedSinceImprovement = 0

    let direction: StudyDirection

    init(direction: StudyDirection) {
        self.direction = direction
    }

    /// The best complete trial.
    public var best: TrialRecord? { bestNumber.map { trials[$0] } }

    /// The number of trials in `state`.
    public func count(_ state: TrialState) -> Int { counts[state, default: 0] }

    /// Merges trials read from the storage.
    mutating func apply(_ changes: TrialChanges) {
        for trial in changes.trials {
            while trials.count <= trial.number {
                // A placeholder for a number not seen yet; replaced when its trial arrives.
                let placeholder = TrialRecord(id: -1, number: trials.count, state: .waiting, revision: -1)
                counts[.waiting, default: 0] += 1
                trials.append(placeholder)
            }
            let old = trials[trial.number]
            guard trial.revision > old.revision else { continue }
            counts[old.state, default: 0] -= 1
            counts[trial.state, default: 0] += 1
            trials[trial.number] = trial
            if trial.state.isFinished, !old.state.isFinished {
                noteFinished(trial)
            }
        }
        revision = max(revision, changes.revision)
    }

    private mutating func noteFinished(_ trial: TrialRecord) {
        if trial.state == .complete, let value = trial.value,
           best?.value.map({ direction.isBetter(value, than: $0) }) ?? true
        {
            bestNumber = trial.number
            finishedSinceImprovement = 0
        } else {
            finishedSinceImprovement += 1
        }
    }
}

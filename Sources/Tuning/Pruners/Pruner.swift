/// Decides, after an intermediate value, whether a running trial should stop early.
public protocol Pruner: Sendable {
    /// Whether `request.trial` should stop now.
    func shouldPrune(_ request: PruningRequest) -> Bool
}

/// What a pruner knows when it decides.
public struct PruningRequest: Sendable {
    public var direction: StudyDirection
    public var seed: UInt64
    /// The trial being decided, with every intermediate value it has reported.
    public var trial: TrialRecord
    /// The study's other trials.
    public var history: [TrialRecord]

    public init(direction: StudyDirection, seed: UInt64, trial: TrialRecord, history: [TrialRecord]) {
        self.direction = direction
        self.seed = seed
        self.trial = trial
        self.history = history
    }

    /// The step of the trial's latest intermediate value.
    public var step: Int? { trial.lastStep }
}

/// Never prunes.
public struct NoPruner: Pruner {
    public init() {}
    public func shouldPrune(_ request: PruningRequest) -> Bool { false }
}

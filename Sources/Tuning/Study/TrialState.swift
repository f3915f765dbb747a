/// Where a trial is in its life.
public enum TrialState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Queued with known parameters (enqueued or re-queued after a dead worker); not yet claimed.
    case waiting = "WAITING"
    /// Claimed by a worker that is evaluating it.
    case running = "RUNNING"
    /// Finished with a finite objective value.
    case complete = "COMPLETE"
    /// Stopped early by a pruner; its intermediate values are kept.
    case pruned = "PRUNED"
    /// The objective threw, returned NaN or infinity, or its worker died.
    case fail = "FAIL"

    /// Whether the trial has ended (complete, pruned or failed).
    public var isFinished: Bool {
        switch self {
        case .complete, .pruned, .fail: return true
        case .waiting, .running: return false
        }
    }
}

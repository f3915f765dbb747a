/// The rules every storage applies to trial state changes, in one place.
enum TrialTransition {
    /// The failure reason recorded for a trial whose worker stopped sending heartbeats.
    static let staleReason = "worker stopped sending heartbeats (died or hung)"

    /// The user attribute that links a re-queued trial to the failed one it repeats.
    static let retryOfKey = "retry_of"

    /// Throws unless `trial` is running.
    static func checkRunning(_ trial: TrialRecord) throws {
        guard trial.state == .running else {
            throw TuningError.invalidTrialState(trial: trial.number, reason: "is \(trial.state.rawValue), not RUNNING")
        }
    }

    /// Throws unless `state` is a final state and `value` fits it.
    static func checkFinal(_ state: TrialState, value: Double?) throws {
        guard state.isFinished else {
            throw TuningError.storage("cannot finish a trial as \(state.rawValue)")
        }
        if state == .complete {
            guard let value, value.isFinite else {
                throw TuningError.storage("a COMPLETE trial needs a finite value")
            }
        }
        if let value, !value.isFinite {
            throw TuningError.storage("trial values must be finite")
        }
    }

    /// The user attributes of the waiting copy of a failed trial.
    static func retryAttributes(of trial: TrialRecord) -> [String: String] {
        var attributes = trial.userAttributes
        attributes[TrialRecord.failReasonKey] = nil
        attributes[retryOfKey] = String(trial.number)
        return attributes
    }
}

/// What a study optimizes: evaluates one trial's configuration and returns its value.
///
/// A long evaluation (a training run) reports intermediate values through the trial and asks
/// whether to stop early:
///
/// ```swift
/// for epoch in 1...epochs {
///     let accuracy = try trainer.fitEpoch()
///     try trial.report(accuracy, step: epoch)
///     if try trial.shouldPrune() { throw TrialPruned() }
/// }
/// return accuracy
/// ```
///
/// Errors thrown by `evaluate` fail the trial (the reason is recorded) and never stop the study;
/// `TrialPruned` marks it pruned; NaN or infinite values fail it. When the task running
/// `evaluate` is cancelled (Ctrl-C), the objective should stop and throw `CancellationError`:
/// the trial is then recorded as interrupted.
public protocol Objective: Sendable {
    func evaluate(_ trial: Trial) async throws -> Double

    /// Throws if the objective could evaluate no trial of `space` (a missing file, an unknown
    /// device or parameter), so that a study stops before its first trial instead of failing
    /// every trial. The default finds nothing wrong.
    func check(for space: SearchSpace) throws
}

extension Objective {
    public func check(for space: SearchSpace) throws {}
}

/// An objective given as a closure.
public struct FunctionObjective: Objective {
    private let body: @Sendable (Trial) async throws -> Double

    public init(_ body: @escaping @Sendable (Trial) async throws -> Double) {
        self.body = body
    }

    public func evaluate(_ trial: Trial) async throws -> Double {
        try await body(trial)
    }
}

/// Thrown by an objective to end its trial as pruned. The trial keeps its intermediate values;
/// its value is the last one reported.
public struct TrialPruned: Error, Sendable {
    public init() {}
}

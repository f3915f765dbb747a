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
/// `TrialPruned` marks it pruned; NaN or infinite values fail it.
public protocol Objective: Sendable {
    func evaluate(_ trial: Trial) async throws -> Double
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

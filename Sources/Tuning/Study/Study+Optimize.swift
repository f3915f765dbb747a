import Foundation

extension Study {
    /// Runs trials until a stop condition is met: `concurrency` loops of ask, evaluate, tell, as
    /// tasks of this process (`swifttune tune --workers` starts processes instead). A failing
    /// objective fails its trial and the loop goes on; storage errors end it.
    /// `onTrialFinished` sees each trial this call finished, with the study's trials so far.
    ///
    /// First asks the objective whether it can evaluate this space at all (`Objective.check`).
    /// Cancelling the task stops asking for trials; the running ones are interrupted (see
    /// `TrialOutcome.interrupted`) and the call returns with `StopReason.cancelled`.
    @discardableResult
    public func optimize(
        _ objective: some Objective, stop: [StopCondition], concurrency: Int = 1,
        onTrialFinished: (@Sendable (TrialRecord, TrialHistory) -> Void)? = nil
    ) async throws -> OptimizationSummary {
        try await optimize(objective, stop: stop, concurrency: concurrency, now: Date.init, onTrialFinished: onTrialFinished)
    }

    /// `optimize` with the clock that time limits read (tests pass one they control).
    func optimize(
        _ objective: some Objective, stop: [StopCondition], concurrency: Int, now: @escaping @Sendable () -> Date,
        onTrialFinished: (@Sendable (TrialRecord, TrialHistory) -> Void)?
    ) async throws -> OptimizationSummary {
        guard concurrency >= 1 else {
            throw TuningError.invalidSettings(component: "optimize", reason: "concurrency must be at least 1, not \(concurrency)")
        }
        try objective.check(for: space)
        let started = now()
        let limit = stop.compactMap { if case let .trials(n) = $0 { n } else { nil } }.min()
        let summaries = try await withThrowingTaskGroup(of: OptimizationSummary.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    try await self.trialLoop(
                        objective, stop: stop, limit: limit, started: started, now: now, onTrialFinished: onTrialFinished)
                }
            }
            return try await group.reduce(into: [OptimizationSummary]()) { $0.append($1) }
        }
        var summary = summaries.reduce(OptimizationSummary()) { $0.merged(with: $1) }
        summary.best = try bestTrial()
        summary.elapsed = now().timeIntervalSince(started)
        return summary
    }

    /// `optimize` with the objective as a closure.
    @discardableResult
    public func optimize(
        stop: [StopCondition], concurrency: Int = 1,
        onTrialFinished: (@Sendable (TrialRecord, TrialHistory) -> Void)? = nil,
        _ objective: @escaping @Sendable (Trial) async throws -> Double
    ) async throws -> OptimizationSummary {
        try await optimize(FunctionObjective(objective), stop: stop, concurrency: concurrency, onTrialFinished: onTrialFinished)
    }

    private func trialLoop(
        _ objective: some Objective, stop: [StopCondition], limit: Int?, started: Date, now: @Sendable () -> Date,
        onTrialFinished: (@Sendable (TrialRecord, TrialHistory) -> Void)?
    ) async throws -> OptimizationSummary {
        var summary = OptimizationSummary()
        asking: while true {
            // Samplers compute without suspending; let other tasks of the process run between trials.
            await Task.yield()
            if Task.isCancelled { summary.stopReason = .cancelled; break }
            if let reason = try stopReason(stop, elapsed: now().timeIntervalSince(started)) { summary.stopReason = reason; break }
            let trial: Trial
            switch try askOrWait(limit: limit) {
            case let .trial(asked):
                trial = asked
            case .wait:
                // A population's generation is still training elsewhere; look again shortly.
                try? await Task.sleep(for: .milliseconds(200))
                continue
            case .nothingLeft:
                summary.stopReason = population == nil ? .trialLimit : .populationFinished
                break asking
            }
            let outcome = await evaluate(objective, trial)
            do {
                let finished = try tell(trial, outcome)
                summary.count(finished.state)
                onTrialFinished?(finished, try refresh())
            } catch let error as TuningError {
                // Another worker declared this trial dead (its heartbeat was late); keep going.
                guard case .invalidTrialState = error else { throw error }
                summary.lateTrials += 1
            }
        }
        return summary
    }

    private func stopReason(_ conditions: [StopCondition], elapsed: TimeInterval) throws -> OptimizationSummary.StopReason? {
        for condition in conditions {
            switch condition {
            case .trials:
                continue  // enforced atomically by the storage when the trial is created
            case let .duration(seconds):
                if elapsed >= seconds { return .duration }
            case let .noImprovement(patience):
                if try refresh().finishedSinceImprovement >= patience { return .noImprovement }
            }
        }
        return nil
    }

    /// Runs the objective, with heartbeats while it runs, and turns what happened into an outcome.
    private func evaluate(_ objective: some Objective, _ trial: Trial) async -> TrialOutcome {
        // Heartbeats come from a timer on a thread of their own, so an objective that computes
        // for minutes without suspending (an in-process training loop) still shows it is alive.
        let storage = storage
        let beats = heartbeat.isEnabled
            ? RepeatingTimer(interval: heartbeat.interval) { try? storage.heartbeat(trial: trial.id, at: Date()) } : nil
        defer { beats?.cancel() }
        // Stopped between asking and evaluating: the trial never ran.
        if Task.isCancelled { return .interrupted }
        do {
            return .complete(try await objective.evaluate(trial))
        } catch is TrialPruned {
            return .pruned
        } catch is CancellationError {
            return .interrupted
        } catch {
            return .failed(String(describing: error))
        }
    }
}

/// What one `optimize` call did.
public struct OptimizationSummary: Sendable {
    /// Why the call stopped.
    public enum StopReason: String, Sendable {
        case trialLimit = "trial limit reached (or the sampler has nothing left)"
        case populationFinished = "the population trained all its generations (or reached the trial limit)"
        case duration = "time limit reached"
        case noImprovement = "no improvement"
        case cancelled = "cancelled"
    }

    public var completed = 0
    public var pruned = 0
    public var failed = 0
    /// Trials this call finished after another worker had already failed them for a late heartbeat.
    public var lateTrials = 0
    public var stopReason: StopReason?
    /// The study's best trial when the call ended.
    public var best: TrialRecord?
    public var elapsed: TimeInterval = 0

    /// Trials this call finished.
    public var finished: Int { completed + pruned + failed }

    mutating func count(_ state: TrialState) {
        switch state {
        case .complete: completed += 1
        case .pruned: pruned += 1
        case .fail: failed += 1
        case .waiting, .running: break
        }
    }

    func merged(with other: OptimizationSummary) -> OptimizationSummary {
        var merged = self
        merged.completed += other.completed
        merged.pruned += other.pruned
        merged.failed += other.failed
        merged.lateTrials += other.lateTrials
        merged.stopReason = merged.stopReason ?? other.stopReason
        return merged
    }
}

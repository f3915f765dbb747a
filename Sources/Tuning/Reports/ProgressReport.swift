import Foundation

/// The text of a study's live display: a line for each trial that finishes, and a status of the
/// whole study: trials done (of the limit), running (with each running trial's latest step and
/// value), pruned and failed, the best value and parameters so far, elapsed time and an ETA.
///
/// ```
/// [12/50] #11 PRUNED 0.8412 | running 1, pruned 4, failed 0 | best 0.9861 #7 dropout=0.1 ... | 0:09 elapsed, ETA 0:31
/// [12/50] running 1 (#12 step 7: 0.9583), pruned 4, failed 0 | best 0.9861 #7 dropout=0.1 ... | 0:10 elapsed, ETA 0:30
/// ```
public struct ProgressReport: Sendable {
    public let direction: StudyDirection
    /// The trial limit, if the stop conditions set one (for the ETA).
    public let trialLimit: Int?
    /// When this run started: the ETA counts only trials finished since.
    public let started: Date

    /// Running trials named with their latest step, at most.
    static let runningShown = 3

    public init(direction: StudyDirection, conditions: [StopCondition], started: Date = Date()) {
        self.direction = direction
        trialLimit = conditions.compactMap { if case let .trials(n) = $0 { n } else { nil } }.min()
        self.started = started
    }

    /// The line printed when `trial` finishes: its number, state and value (or why it failed),
    /// then the study's counts, best trial and timing.
    public func line(for trial: TrialRecord, history: TrialHistory, now: Date = Date()) -> String {
        let outcome = trial.value.map { Self.format($0) } ?? (trial.failReason.map { "(\($0.prefix(60)))" } ?? "")
        let head = "\(done(history)) #\(trial.number) \(trial.state.rawValue)" + (outcome.isEmpty ? "" : " \(outcome)")
        return head + " | " + counts(history, detailed: false) + tail(history, now: now)
    }

    /// The status between finished trials (the live line on a terminal): the counts with each
    /// running trial's latest step and value, the best trial and timing.
    public func status(history: TrialHistory, now: Date = Date()) -> String {
        "\(done(history)) \(counts(history, detailed: true))" + tail(history, now: now)
    }

    /// Seconds until the trial limit at the pace of the trials finished since `started`; nil
    /// without a limit, before a trial of this run has finished, or once the limit is reached.
    public func secondsLeft(history: TrialHistory, now: Date = Date()) -> TimeInterval? {
        let finished = Self.finished(history)
        guard let trialLimit, finished < trialLimit else { return nil }
        let finishedThisRun = history.trials.filter { trial in
            trial.state.isFinished && (trial.finishedAt.map { $0 >= started } ?? false)
        }.count
        guard finishedThisRun > 0 else { return nil }
        return now.timeIntervalSince(started) / Double(finishedThisRun) * Double(trialLimit - finished)
    }

    /// `[12/50]`: trials finished, of the limit.
    private func done(_ history: TrialHistory) -> String {
        "[\(Self.finished(history))\(trialLimit.map { "/\($0)" } ?? "")]"
    }

    /// `running 2, pruned 3, failed 0`, with `(#12 step 7: 0.958, ...)` after the running count when
    /// `detailed`, and the waiting count when trials wait.
    private func counts(_ history: TrialHistory, detailed: Bool) -> String {
        var running = "running \(history.count(.running))"
        if detailed {
            let shown = history.trials.filter { $0.state == .running }.prefix(Self.runningShown).map { trial in
                trial.lastStep.flatMap { step in trial.intermediateValues[step].map { "#\(trial.number) step \(step): \(Self.format($0))" } }
                    ?? "#\(trial.number) starting"
            }
            if !shown.isEmpty { running += " (\(shown.joined(separator: ", ")))" }
        }
        let waiting = history.count(.waiting) > 0 ? ", waiting \(history.count(.waiting))" : ""
        return "\(running), pruned \(history.count(.pruned)), failed \(history.count(.fail))\(waiting)"
    }

    /// ` | best 0.98 #7 x=1 | 0:12 elapsed, ETA 0:38`.
    private func tail(_ history: TrialHistory, now: Date) -> String {
        var parts: [String] = []
        if let best = history.best, let value = best.value {
            parts.append("best \(Self.format(value)) #\(best.number) \(Self.describe(best.params))")
        }
        var timing = "\(Self.clock(now.timeIntervalSince(started))) elapsed"
        if let left = secondsLeft(history: history, now: now) { timing += ", ETA \(Self.clock(left))" }
        parts.append(timing)
        return " | " + parts.joined(separator: " | ")
    }

    private static func finished(_ history: TrialHistory) -> Int {
        history.count(.complete) + history.count(.pruned) + history.count(.fail)
    }

    /// `x=3.14 y=2.27` in name order.
    public static func describe(_ params: [String: ParameterValue]) -> String {
        params.sorted { $0.key < $1.key }.map { name, value in
            if case let .double(number) = value { return "\(name)=\(format(number))" }
            return "\(name)=\(value)"
        }.joined(separator: " ")
    }

    /// Up to 6 significant digits.
    public static func format(_ value: Double) -> String {
        String(format: "%.6g", value)
    }

    static func clock(_ seconds: TimeInterval) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600
            ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}

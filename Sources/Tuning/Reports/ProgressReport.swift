import Foundation

/// The live status line printed after each trial: what just finished, how many trials are done,
/// running, pruned and failed, the best value and parameters so far, and the time left.
public struct ProgressReport: Sendable {
    public let direction: StudyDirection
    /// The trial limit, if the stop conditions set one (for the ETA).
    public let trialLimit: Int?
    public let started: Date

    public init(direction: StudyDirection, conditions: [StopCondition], started: Date = Date()) {
        self.direction = direction
        trialLimit = conditions.compactMap { if case let .trials(n) = $0 { n } else { nil } }.min()
        self.started = started
    }

    public func line(for trial: TrialRecord, history: TrialHistory, now: Date = Date()) -> String {
        let finished = history.count(.complete) + history.count(.pruned) + history.count(.fail)
        var parts: [String] = []
        let total = trialLimit.map { "/\($0)" } ?? ""
        let outcome = trial.value.map { Self.format($0) } ?? (trial.failReason.map { "(\($0.prefix(60)))" } ?? "")
        parts.append("[\(finished)\(total)] #\(trial.number) \(trial.state.rawValue) \(outcome)")
        parts.append("running \(history.count(.running)), pruned \(history.count(.pruned)), failed \(history.count(.fail))")
        if let best = history.best, let value = best.value {
            parts.append("best \(Self.format(value)) #\(best.number) \(Self.describe(best.params))")
        }
        let elapsed = now.timeIntervalSince(started)
        var timing = "\(Self.clock(elapsed)) elapsed"
        if let trialLimit, finished > 0, finished < trialLimit {
            let rate = elapsed / Double(max(finished - history.count(.waiting), 1))
            timing += ", ETA \(Self.clock(rate * Double(trialLimit - finished)))"
        }
        parts.append(timing)
        return parts.joined(separator: " | ")
    }

    /// `x=3.14 y=2.27` in name order.
    public static func describe(_ params: [String: ParameterValue]) -> String {
        params.keys.sorted().map { name in
            let value = params[name]!
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

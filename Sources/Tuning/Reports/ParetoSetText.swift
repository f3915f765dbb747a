/// The Pareto set of a multi-objective study as text, for `swifttune best`.
public enum ParetoSetText {
    /// One line per trial (its number and values, in the directions' order) with its
    /// parameters below, sorted by the first objective.
    public static func text(_ trials: [TrialRecord], directions: [StudyDirection]) -> String {
        let heading = directions.map(\.rawValue).joined(separator: ", ")
        var lines = ["Pareto set: \(trials.count) trial\(trials.count == 1 ? "" : "s") (\(heading))"]
        let sorted = trials.sorted { ($0.objectiveValues.first ?? 0, $0.number) < ($1.objectiveValues.first ?? 0, $1.number) }
        for trial in sorted {
            let values = trial.objectiveValues.map { ProgressReport.format($0) }.joined(separator: ", ")
            lines.append("trial \(trial.number): values [\(values)]")
            for name in trial.params.keys.sorted() {
                if let value = trial.params[name] { lines.append("  \(name): \(value)") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

import Foundation

/// The terminal summary of a study: counts, the best trial, the five best, parameter importance,
/// and what the last run did.
public enum StudySummary {
    public static func text(of study: Study, run: OptimizationSummary?) throws -> String {
        let history = try study.refresh()
        var lines = ["study \(study.name) (\(study.direction.rawValue)): \(history.trials.count) trials — "
            + "complete \(history.count(.complete)), pruned \(history.count(.pruned)), failed \(history.count(.fail)), "
            + "running \(history.count(.running)), waiting \(history.count(.waiting))"]
        if let run {
            lines.append(String(format: "this run: %d complete, %d pruned, %d failed in %.1f s", run.completed, run.pruned, run.failed, run.elapsed)
                + (run.stopReason.map { " (\($0.rawValue))" } ?? ""))
        }
        guard let best = history.best, let value = best.value else {
            lines.append("no complete trial yet")
            return lines.joined(separator: "\n")
        }
        lines.append("best: trial \(best.number), value \(ProgressReport.format(value)), \(ProgressReport.describe(best.params))")
        let directions = try study.directions()
        if directions.count > 1 {
            let pareto = try study.paretoTrials(directions: directions)
            lines.append("Pareto set over \(directions.map(\.rawValue).joined(separator: ", ")): \(pareto.count) trials "
                + "(numbers \(pareto.map { String($0.number) }.joined(separator: ", "))); swifttune best lists them")
        }
        let top = history.trials.filter { $0.state == .complete && $0.value != nil }
            .sorted { study.direction.loss($0.value!) < study.direction.loss($1.value!) }.prefix(5)
        lines.append("top \(top.count):")
        lines.append(contentsOf: TrialExport(trials: Array(top), space: study.space).text()
            .split(separator: "\n").map { "  " + $0 })
        let importance = ParameterImportance.estimate(trials: history.trials, space: study.space, direction: study.direction)
        if history.count(.complete) >= 3, !importance.isEmpty {
            lines.append("importance: " + importance.map { "\($0.name) \(String(format: "%.2f", $0.importance))" }.joined(separator: ", "))
        }
        let failures = Dictionary(grouping: history.trials.compactMap(\.failReason)) { $0 }
        for (reason, group) in failures.sorted(by: { $0.value.count > $1.value.count }).prefix(3) {
            lines.append("failed \(group.count)×: \(reason.prefix(120))")
        }
        return lines.joined(separator: "\n")
    }
}

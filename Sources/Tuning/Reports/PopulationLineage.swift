import Foundation

/// A trained population as members and generations: for each member, each generation's trial,
/// the member it copied (if any), its value and its hyperparameters, so the schedule each member
/// followed can be read off. `best` prints `text`, the HTML report draws it.
public struct PopulationLineage: Sendable {
    /// One member's generation.
    public struct Step: Sendable {
        public var generation: Int
        public var trial: TrialRecord
        /// The member whose weights this generation started from, when not its own.
        public var copiedFrom: Int?
    }

    /// The steps of each member, by member then generation.
    public let members: [[Step]]
    /// The searched parameters, in the space's order.
    public let parameters: [String]

    /// The population in `trials`, or nil when no trial belongs to one. Each member's generation
    /// is its latest trial (a re-queued copy replaces the trial it repeats).
    public init?(trials: [TrialRecord], space: SearchSpace) {
        var latest: [Int: [Int: TrialRecord]] = [:]
        for trial in trials {
            guard let member = trial.populationMember else { continue }
            if let current = latest[member.member]?[member.generation], current.number > trial.number { continue }
            latest[member.member, default: [:]][member.generation] = trial
        }
        guard !latest.isEmpty else { return nil }
        members = latest.keys.sorted().map { member in
            (latest[member] ?? [:]).keys.sorted().compactMap { generation in
                guard let trial = latest[member]?[generation] else { return nil }
                return Step(generation: generation, trial: trial, copiedFrom: trial.populationMember?.copiedFrom)
            }
        }
        parameters = space.searchedParameters.map(\.name)
    }

    /// A table per member: generation, trial, where its weights came from, state, value, and
    /// each searched parameter.
    public func text() -> String {
        let generations = (members.flatMap { $0.map(\.generation) }.max() ?? 0) + 1
        var lines = ["population: \(members.count) members, \(generations) generation\(generations == 1 ? "" : "s")"]
        for (member, steps) in members.enumerated() {
            let last = steps.last.flatMap { $0.trial.value.map(ProgressReport.format) } ?? "-"
            lines.append("member \(member) (last value \(last))")
            var rows = [["generation", "trial", "weights from", "state", "value"] + parameters]
            for step in steps {
                let source = step.copiedFrom.map { "member \($0)" } ?? (step.generation == 0 ? "start" : "itself")
                rows.append([
                    String(step.generation), String(step.trial.number), source, step.trial.state.rawValue,
                    step.trial.value.map(ProgressReport.format) ?? "-",
                ] + parameters.map { name in step.trial.params[name].map(Self.format) ?? "-" })
            }
            let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                let cells = zip(row, widths).enumerated().map { column, cell in
                    column == row.count - 1 ? cell.0 : cell.0.padding(toLength: cell.1, withPad: " ", startingAt: 0)
                }
                lines.append("  " + cells.joined(separator: "  "))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func format(_ value: ParameterValue) -> String {
        if case let .double(number) = value { return ProgressReport.format(number) }
        return value.description
    }
}

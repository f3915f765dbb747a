/// The hypervolume of a multi-objective study's complete trials (the volume their Pareto front
/// dominates, bounded by a reference point), as `swifttune best` and the report print it.
public struct StudyHypervolume: Sendable, Hashable {
    /// The volume, in the objectives' units multiplied together.
    public var value: Double
    /// The reference point in the objectives' own values, one per direction.
    public var reference: [Double]

    /// The hypervolume of `trials` (complete ones with a value per direction) against
    /// `reference`, or by default against the worst value of each objective among them moved a
    /// tenth of the objective's range further (1 where all values are equal), so that the
    /// extreme trials count too. Throws when `reference` has another number of values.
    public init(trials: [TrialRecord], directions: [StudyDirection], reference: [Double]? = nil) throws {
        if let reference, reference.count != directions.count {
            throw TuningError.invalidSettings(
                component: "hypervolume reference point",
                reason: "has \(reference.count) values, but the study has \(directions.count) directions")
        }
        let complete = trials.filter { $0.state == .complete && $0.objectiveValues.count == directions.count }
        let losses = complete.map { trial in zip(directions, trial.objectiveValues).map { $0.loss($1) } }
        let referenceLosses = reference.map { zip(directions, $0).map { $0.loss($1) } } ?? Self.defaultReference(losses, objectives: directions.count)
        self.value = Pareto.hypervolume(losses, reference: referenceLosses)
        // A loss turns back into its value the same way (negation or identity).
        self.reference = zip(directions, referenceLosses).map { $0.loss($1) }
    }

    /// Past the worst loss of each objective by a tenth of its range (1 when the range is 0).
    private static func defaultReference(_ losses: [[Double]], objectives: Int) -> [Double] {
        (0..<objectives).map { objective in
            let values = losses.map { $0[objective] }
            let worst = values.max() ?? 0, best = values.min() ?? 0
            return worst + (worst > best ? 0.1 * (worst - best) : 1)
        }
    }

    /// "hypervolume 8.8 (reference point 1.1, 11)".
    public var text: String {
        "hypervolume \(ProgressReport.format(value)) (reference point \(reference.map { ProgressReport.format($0) }.joined(separator: ", ")))"
    }
}

/// The default sampler of a study with several directions: the multi-objective TPE or
/// NSGA-II, decided per trial from the study's trials (docs/tuning.md, "Choosing the sampler").
///
/// MOTPE takes the study up to `nsga2TrialLimit` finished trials: after 100 trials it reaches a
/// larger hypervolume than NSGA-II on every problem of `scripts/compare-multiobjective`. By 500
/// trials the two were level there, and NSGA-II's proposals cost little however many trials
/// there are, while MOTPE's grow with them; so NSGA-II takes over.
public struct MultiObjectiveAutoSampler: Sampler {
    /// What the rule picks.
    public enum Choice: String, Sendable {
        case tpe, nsga2
    }

    public var tpe: TPESampler
    public var nsga2: NSGA2Sampler
    /// Finished trials from which NSGA-II is used.
    public var nsga2TrialLimit: Int

    public init(directions: [StudyDirection], nsga2TrialLimit: Int = 300) {
        self.tpe = TPESampler(directions: directions)
        self.nsga2 = NSGA2Sampler(directions: directions)
        self.nsga2TrialLimit = nsga2TrialLimit
    }

    public func validate(for space: SearchSpace) throws {
        try tpe.validate(for: space)
        try nsga2.validate(for: space)
        guard nsga2TrialLimit >= 0 else {
            throw TuningError.invalidSettings(component: "auto sampler", reason: "the NSGA-II trial limit must be ≥ 0")
        }
    }

    public func sample(_ request: SamplingRequest) throws -> [String: ParameterValue] {
        switch choice(for: request) {
        case .tpe: return try tpe.sample(request)
        case .nsga2: return try nsga2.sample(request)
        }
    }

    /// The sampler for a request: MOTPE until `nsga2TrialLimit` trials have finished.
    public func choice(for request: SamplingRequest) -> Choice {
        let finished = request.history.filter { $0.state == .complete || $0.state == .pruned }.count
        return finished >= nsga2TrialLimit ? .nsga2 : .tpe
    }

    /// The line `swifttune tune` prints when a study starts.
    public func summary() -> String {
        "sampler auto: tpe (multi-objective TPE for \(tpe.directions.count) directions); nsga2 from \(nsga2TrialLimit) finished trials"
    }
}

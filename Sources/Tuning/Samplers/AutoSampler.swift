/// The default sampler: Gaussian-process Bayesian optimisation where it is strong, TPE elsewhere,
/// decided per trial from the space and the study's trials (docs/study-file.md, `auto`).
///
/// The GP models the objective as one smooth function of all parameters, which makes it the
/// most sample-efficient choice on spaces of numbers (floats and integers) with few
/// dimensions. TPE models each condition's parameters separately and does not need the
/// space to be smooth or fully present, so it takes:
/// - spaces with conditional parameters (a GP has no sensible distance to an absent value);
/// - spaces where categoricals are more than half of the searched parameters (one-hot codes give
///   a GP no notion of which choices are alike);
/// - more than `maximumGPFeatures` GP inputs (the kernel's length scales, one per input, are
///   not determined by tens of trials, and the acquisition search thins out);
/// - studies past `gpTrialLimit` finished trials (a proposal's cost grows with the trials for a
///   GP, linearly for TPE, and TPE's density estimates are well fed by then);
/// - studies where pruned trials are at least half of the finished ones (TPE learns from pruned
///   trials, the GP only from complete ones).
public struct AutoSampler: Sampler {
    /// What the rule picks.
    public enum Choice: String, Sendable {
        case gp, tpe
    }

    public var gp: GPSampler
    public var tpe: TPESampler
    /// GP inputs (numeric parameters plus one per categorical choice) above which TPE is used.
    public var maximumGPFeatures: Int
    /// Finished trials from which TPE is used.
    public var gpTrialLimit: Int

    public init(gp: GPSampler = GPSampler(), tpe: TPESampler = TPESampler(), maximumGPFeatures: Int = 20, gpTrialLimit: Int = 300) {
        self.gp = gp
        self.tpe = tpe
        self.maximumGPFeatures = maximumGPFeatures
        self.gpTrialLimit = gpTrialLimit
    }

    public func validate(for space: SearchSpace) throws {
        try gp.validate(for: space)
        try tpe.validate(for: space)
        guard maximumGPFeatures >= 1, gpTrialLimit >= 0 else {
            throw TuningError.invalidSettings(component: "auto sampler", reason: "the GP feature limit must be ≥ 1 and the trial limit ≥ 0")
        }
    }

    public func sample(_ request: SamplingRequest) throws -> [String: ParameterValue] {
        switch choice(for: request) {
        case .gp: return try gp.sample(request)
        case .tpe: return try tpe.sample(request)
        }
    }

    /// The sampler for a space before any trial, and why.
    public func choice(for space: SearchSpace) -> (choice: Choice, reason: String) {
        let searched = space.searchedParameters
        let categoricals = searched.filter { !$0.distribution.isNumeric }
        let features = searched.reduce(0) { $0 + ($1.distribution.isNumeric ? 1 : $1.distribution.choiceCount) }
        if let conditional = searched.first(where: { $0.condition != nil }) {
            return (.tpe, "the space is conditional ('\(conditional.name)' depends on '\(conditional.condition?.parent ?? "")')")
        }
        if 2 * categoricals.count > searched.count {
            return (.tpe, "\(categoricals.count) of the \(searched.count) searched parameters are categorical")
        }
        if features > maximumGPFeatures {
            return (.tpe, "the space has \(features) GP inputs (more than \(maximumGPFeatures))")
        }
        let numeric = searched.count - categoricals.count
        let kinds = categoricals.isEmpty ? "\(numeric) numeric parameters" : "\(numeric) numeric and \(categoricals.count) categorical parameters"
        return (.gp, "\(kinds), no conditions")
    }

    /// The sampler for a request: the space's choice, then TPE past the trial limit or when
    /// pruned trials dominate.
    public func choice(for request: SamplingRequest) -> Choice {
        guard choice(for: request.space).choice == .gp else { return .tpe }
        let complete = request.history.filter { $0.state == .complete }.count
        let pruned = request.history.filter { $0.state == .pruned }.count
        if complete + pruned >= gpTrialLimit || (pruned > 0 && pruned >= complete) { return .tpe }
        return .gp
    }

    /// The line `swifttune tune` prints when a study starts.
    public func summary(for space: SearchSpace) -> String {
        let (choice, reason) = choice(for: space)
        switch choice {
        case .tpe:
            return "sampler auto: tpe (\(reason))"
        case .gp:
            return "sampler auto: gp (\(reason)); tpe from \(gpTrialLimit) finished trials or once half of them are pruned"
        }
    }
}

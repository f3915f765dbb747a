import Training

/// Every error the tuning layer throws. Each case names what was wrong and where: the parameter,
/// the study-file key and line, the study or the trial.
public enum TuningError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A search space that cannot be sampled (bad bounds, an unknown parent, ...).
    case invalidSpace(parameter: String, reason: String)
    /// A study file that cannot be read: the file, line and column, the key path (such as
    /// `space.lr.low`) and the reason, in the words a training description's errors use.
    case studyFile(DescriptionError)
    /// A configuration (enqueued or stored) that does not fit the search space.
    case invalidConfiguration(parameter: String, reason: String)
    /// An objective asked for a parameter that the trial does not have.
    case missingParameter(String)
    /// An objective read a parameter as the wrong type.
    case parameterType(name: String, expected: String, actual: ParameterValue)
    /// No study of that name in the storage.
    case studyNotFound(String)
    /// A study exists under that name with different settings.
    case studyMismatch(name: String, reason: String)
    /// No trial with that number (or identifier) in the study.
    case trialNotFound(study: String, trial: Int)
    /// A state change that the trial's current state forbids (finishing a finished trial).
    case invalidTrialState(trial: Int, reason: String)
    /// The storage failed (database error, bad URL, corrupt row).
    case storage(String)
    /// A sampler or pruner was configured with impossible settings.
    case invalidSettings(component: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidSpace(parameter, reason):
            return "search space: parameter '\(parameter)': \(reason)"
        case let .studyFile(error):
            return error.description
        case let .invalidConfiguration(parameter, reason):
            return "configuration: parameter '\(parameter)': \(reason)"
        case let .missingParameter(name):
            return "trial has no parameter '\(name)' (is it conditional and inactive?)"
        case let .parameterType(name, expected, actual):
            return "parameter '\(name)' is \(actual), not a \(expected)"
        case let .studyNotFound(name):
            return "no study named '\(name)' in the storage"
        case let .studyMismatch(name, reason):
            return "study '\(name)' exists with other settings: \(reason)"
        case let .trialNotFound(study, trial):
            return "study '\(study)' has no trial \(trial)"
        case let .invalidTrialState(trial, reason):
            return "trial \(trial): \(reason)"
        case let .storage(message):
            return "storage: \(message)"
        case let .invalidSettings(component, reason):
            return "\(component): \(reason)"
        }
    }
}

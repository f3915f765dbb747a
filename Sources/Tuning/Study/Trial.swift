import Foundation

/// The handle an objective gets for the trial it evaluates: the configuration to evaluate, and
/// the way to report progress and learn whether to stop early.
public final class Trial: Sendable {
    /// The trial's number in its study.
    public let number: Int
    /// The storage's identifier of the trial.
    public let id: Int64
    /// The configuration: every active parameter of the search space.
    public let params: [String: ParameterValue]
    /// The population member and generation this trial trains, in a population-based study.
    public let populationMember: PopulationMember?
    private let study: Study

    init(record: TrialRecord, study: Study) {
        number = record.number
        id = record.id
        params = record.params
        populationMember = record.populationMember
        self.study = study
    }

    /// Records the value of the objective after `step` (an epoch, say). Pruners compare trials at
    /// equal steps. A NaN or infinite value throws, which fails the trial (training diverged).
    public func report(_ value: Double, step: Int) throws {
        guard value.isFinite else {
            throw TuningError.invalidTrialState(trial: number, reason: "reported \(value) at step \(step)")
        }
        try study.storage.reportIntermediate(trial: id, step: step, value: value, at: Date())
    }

    /// Whether the study's pruner wants this trial stopped, given what it has reported so far.
    /// When it says yes, throw `TrialPruned()` from the objective.
    public func shouldPrune() throws -> Bool {
        try study.shouldPrune(trialNumber: number)
    }

    /// Records a note with the trial (shown in reports and exports).
    public func setUserAttribute(_ key: String, _ value: String) throws {
        try study.storage.setUserAttribute(trial: id, key: key, value: value)
    }

    /// The value of a parameter; throws if the trial does not have it (an inactive conditional).
    public func value(_ name: String) throws -> ParameterValue {
        guard let value = params[name] else { throw TuningError.missingParameter(name) }
        return value
    }

    /// A numeric parameter as a `Double`.
    public func double(_ name: String) throws -> Double {
        try converted(name, expected: "number", \.doubleValue)
    }

    /// An integer parameter.
    public func int(_ name: String) throws -> Int {
        try converted(name, expected: "integer", \.intValue)
    }

    /// A text parameter.
    public func string(_ name: String) throws -> String {
        try converted(name, expected: "string", \.stringValue)
    }

    /// A flag parameter.
    public func bool(_ name: String) throws -> Bool {
        try converted(name, expected: "bool", \.boolValue)
    }

    /// The parameter `name` through `conversion`; throws naming the `expected` type when it fails.
    private func converted<Value>(_ name: String, expected: String, _ conversion: (ParameterValue) -> Value?) throws -> Value {
        let value = try value(name)
        guard let converted = conversion(value) else {
            throw TuningError.parameterType(name: name, expected: expected, actual: value)
        }
        return converted
    }
}

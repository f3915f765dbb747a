import Foundation

/// Where studies and their trials live. Every method is atomic: several workers (threads,
/// processes, or machines for a networked storage) may call it at once.
///
/// Writes that change what a sampler or pruner sees (a new trial, parameters, an intermediate
/// value, a final state) advance the study's *revision*, and the trial takes the new revision, so
/// a reader asks only for what changed since the revision it has (`trials(study:changedAfter:)`).
/// No call reads or writes all of a study's trials, so the cost per trial does not grow with the
/// study.
public protocol Storage: Sendable {
    /// Creates a study, or returns the existing one of that name unchanged.
    func createStudy(_ definition: StudyDefinition, at now: Date) throws -> StudyRecord
    /// The study of that name, if any.
    func study(named name: String) throws -> StudyRecord?
    /// Every study, oldest first.
    func studies() throws -> [StudyRecord]
    /// Sets a note on a study (the CLI keeps the study file there, so workers elsewhere can join).
    func setStudyAttribute(study: Int64, key: String, value: String) throws
    /// A study's notes.
    func studyAttributes(study: Int64) throws -> [String: String]

    /// Creates a trial with the next number. `state` is `.running` (claimed by the caller) or
    /// `.waiting` (queued). With a `limit`, creates nothing and returns `nil` once the study has
    /// that many trials.
    func createTrial(
        study: Int64, state: TrialState, params: [String: ParameterValue],
        userAttributes: [String: String], limit: Int?, at now: Date
    ) throws -> TrialRecord?
    /// Claims the oldest waiting trial (marks it running) and returns it, or `nil` if none waits.
    func claimWaitingTrial(study: Int64, at now: Date) throws -> TrialRecord?
    /// Sets the parameters of a running trial.
    func setParams(trial: Int64, _ params: [String: ParameterValue]) throws
    /// Records an intermediate value; a second value for the same step replaces the first.
    func reportIntermediate(trial: Int64, step: Int, value: Double, at now: Date) throws
    /// Sets one user attribute of a trial.
    func setUserAttribute(trial: Int64, key: String, value: String) throws
    /// Ends a running trial and returns it as stored. A pruned trial given no value takes its last
    /// intermediate value. Throws `TuningError.invalidTrialState` if it is not running (another
    /// worker declared it dead, say).
    @discardableResult
    func finishTrial(trial: Int64, state: TrialState, value: Double?, failReason: String?, at now: Date) throws -> TrialRecord
    /// Records a sign of life for a running trial.
    func heartbeat(trial: Int64, at now: Date) throws
    /// Fails every running trial whose last heartbeat is older than `staleBefore`, and returns
    /// the failed trials. With `requeue`, each gets a waiting copy with the same parameters.
    func failStaleTrials(study: Int64, staleBefore: Date, requeue: Bool, at now: Date) throws -> [TrialRecord]

    /// The trials whose revision is above `revision`, by number, with the study's revision now.
    func trials(study: Int64, changedAfter revision: Int64) throws -> TrialChanges
    /// One trial by number.
    func trial(study: Int64, number: Int) throws -> TrialRecord?
    /// Returns 0, 1, 2, ... on successive calls for a study and counter name, across all workers
    /// (the grid sampler claims its points this way).
    func nextCounterValue(study: Int64, name: String) throws -> Int
}

/// What a storage needs to create a study.
public struct StudyDefinition: Sendable, Hashable {
    public var name: String
    public var direction: StudyDirection
    public var seed: UInt64
    public var space: SearchSpace

    public init(name: String, direction: StudyDirection, seed: UInt64, space: SearchSpace) {
        self.name = name
        self.direction = direction
        self.seed = seed
        self.space = space
    }
}

/// A stored study.
public struct StudyRecord: Sendable, Hashable {
    public var id: Int64
    public var definition: StudyDefinition
    public var createdAt: Date

    public init(id: Int64, definition: StudyDefinition, createdAt: Date) {
        self.id = id
        self.definition = definition
        self.createdAt = createdAt
    }

    public var name: String { definition.name }
}

/// The answer to `Storage.trials(study:changedAfter:)`.
public struct TrialChanges: Sendable {
    /// The changed trials, by number.
    public var trials: [TrialRecord]
    /// The study's revision when read; pass it to the next call.
    public var revision: Int64

    public init(trials: [TrialRecord], revision: Int64) {
        self.trials = trials
        self.revision = revision
    }
}

import Foundation

/// Everything stored about one trial: a snapshot read from the storage.
public struct TrialRecord: Sendable, Hashable, Codable {
    /// The storage's identifier, unique across studies.
    public var id: Int64
    /// The trial's number in its study: 0, 1, 2, ... in creation order.
    public var number: Int
    public var state: TrialState
    /// The hyperparameters; empty while a fresh trial waits for its sampler.
    public var params: [String: ParameterValue]
    /// The objective value of a complete trial, or the last intermediate value of a pruned one.
    public var value: Double?
    /// Intermediate values by step (epoch), as reported by the objective.
    public var intermediateValues: [Int: Double]
    /// Free-form notes: `fail_reason` for failed trials, anything an objective records.
    public var userAttributes: [String: String]
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The last sign of life of the worker running it.
    public var heartbeatAt: Date?
    /// The storage's change counter when this snapshot was last modified.
    public var revision: Int64

    public init(
        id: Int64, number: Int, state: TrialState, params: [String: ParameterValue] = [:],
        value: Double? = nil, intermediateValues: [Int: Double] = [:], userAttributes: [String: String] = [:],
        startedAt: Date? = nil, finishedAt: Date? = nil, heartbeatAt: Date? = nil, revision: Int64 = 0
    ) {
        self.id = id
        self.number = number
        self.state = state
        self.params = params
        self.value = value
        self.intermediateValues = intermediateValues
        self.userAttributes = userAttributes
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.heartbeatAt = heartbeatAt
        self.revision = revision
    }

    /// The highest step that has an intermediate value.
    public var lastStep: Int? { intermediateValues.keys.max() }

    /// How long the trial ran (until now for a running one).
    public var duration: TimeInterval? {
        guard let startedAt else { return nil }
        return (finishedAt ?? Date()).timeIntervalSince(startedAt)
    }

    /// Why the trial failed, if it did.
    public var failReason: String? { userAttributes[Self.failReasonKey] }

    /// The user attribute that holds a failed trial's reason.
    public static let failReasonKey = "fail_reason"
}

/// Which member and generation of a population a trial trains, and where it starts from: kept in
/// the trial's user attributes, so any worker can run any member (and a re-queued copy of a
/// killed trial is the same member's same generation).
public struct PopulationMember: Sendable, Hashable {
    /// The member, 0 ..< population.
    public var member: Int
    /// The generation, 0 ..< generations.
    public var generation: Int
    /// The trial whose checkpoint this one starts from (its own member's previous generation, or
    /// the member it copied); nil in the first generation.
    public var parentTrial: Int?
    /// The member whose weights were copied (exploit), when it is not this member.
    public var copiedFrom: Int?
    /// The first epoch this trial trains (counting from 1 over the member's whole run).
    public var firstEpoch: Int
    /// The last epoch this trial trains.
    public var lastEpoch: Int

    public init(member: Int, generation: Int, parentTrial: Int?, copiedFrom: Int?, firstEpoch: Int, lastEpoch: Int) {
        self.member = member
        self.generation = generation
        self.parentTrial = parentTrial
        self.copiedFrom = copiedFrom
        self.firstEpoch = firstEpoch
        self.lastEpoch = lastEpoch
    }

    static let memberKey = "pbt_member"
    static let generationKey = "pbt_generation"
    static let parentKey = "pbt_parent_trial"
    static let copiedFromKey = "pbt_copied_from"
    static let epochsKey = "pbt_epochs"
    /// Marks a trial that lost the race to create a member's generation (it never trains).
    static let duplicateKey = "pbt_duplicate"

    /// The member a trial's user attributes describe, or nil for a trial outside a population.
    public init?(attributes: [String: String]) {
        guard let member = attributes[Self.memberKey].flatMap(Int.init),
              let generation = attributes[Self.generationKey].flatMap(Int.init),
              let epochs = attributes[Self.epochsKey]?.split(separator: "-").compactMap({ Int($0) }), epochs.count == 2
        else { return nil }
        self.init(
            member: member, generation: generation, parentTrial: attributes[Self.parentKey].flatMap(Int.init),
            copiedFrom: attributes[Self.copiedFromKey].flatMap(Int.init), firstEpoch: epochs[0], lastEpoch: epochs[1])
    }

    /// The user attributes that store this member.
    public var attributes: [String: String] {
        var attributes = [
            Self.memberKey: String(member), Self.generationKey: String(generation), Self.epochsKey: "\(firstEpoch)-\(lastEpoch)",
        ]
        if let parentTrial { attributes[Self.parentKey] = String(parentTrial) }
        if let copiedFrom { attributes[Self.copiedFromKey] = String(copiedFrom) }
        return attributes
    }
}

extension TrialRecord {
    /// The population member this trial trains, if it belongs to one (and is not a duplicate).
    public var populationMember: PopulationMember? {
        guard userAttributes[PopulationMember.duplicateKey] == nil else { return nil }
        return PopulationMember(attributes: userAttributes)
    }
}

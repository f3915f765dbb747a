/// How much each parameter matters, estimated from the complete trials: the share of the
/// variation of the trials' ranks (best = 0) that the parameter's value explains on its own (the
/// correlation ratio η², with numeric values grouped into quintiles and choices taken as they
/// are). Ranks make it robust to outlying values; interactions are not counted. The importances
/// are scaled to sum to 1.
public enum ParameterImportance {
    public static func estimate(trials: [TrialRecord], space: SearchSpace, direction: StudyDirection) -> [(name: String, importance: Double)] {
        let complete = trials.filter { $0.state == .complete && $0.value != nil }
        let ordered = complete.sorted { direction.loss($0.value!) < direction.loss($1.value!) }
        var rank: [Int: Double] = [:]
        for (position, trial) in ordered.enumerated() { rank[trial.number] = Double(position) }
        var raw: [(String, Double)] = []
        for parameter in space.searchedParameters {
            let observed = complete.compactMap { trial -> (group: Int, rank: Double)? in
                guard let value = trial.params[parameter.name], let rankValue = rank[trial.number] else { return nil }
                if parameter.distribution.isNumeric {
                    guard let unit = parameter.distribution.unitValue(of: value) else { return nil }
                    return (min(Int(unit * 5), 4), rankValue)
                }
                return (parameter.distribution.choiceIndex(of: value) ?? 0, rankValue)
            }
            raw.append((parameter.name, correlationRatio(observed)))
        }
        let total = raw.map(\.1).reduce(0, +)
        return raw.map { ($0.0, total > 0 ? $0.1 / total : 0) }.sorted { $0.1 > $1.1 }
    }

    /// Between-group variance over total variance.
    static func correlationRatio(_ observations: [(group: Int, rank: Double)]) -> Double {
        guard observations.count >= 3 else { return 0 }
        let mean = observations.map(\.rank).reduce(0, +) / Double(observations.count)
        let total = observations.map { ($0.rank - mean) * ($0.rank - mean) }.reduce(0, +)
        guard total > 0 else { return 0 }
        var groups: [Int: (sum: Double, count: Double)] = [:]
        for observation in observations {
            groups[observation.group, default: (0, 0)].sum += observation.rank
            groups[observation.group, default: (0, 0)].count += 1
        }
        let between = groups.values.map { group in
            let groupMean = group.sum / group.count
            return group.count * (groupMean - mean) * (groupMean - mean)
        }.reduce(0, +)
        return between / total
    }
}

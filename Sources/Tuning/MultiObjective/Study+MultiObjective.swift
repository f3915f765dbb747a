extension Study {
    /// The study attribute that holds a multi-objective study's directions (comma-separated).
    public static let directionsKey = "directions"

    /// Records the study's directions, one per objective (a multi-objective study). Studies that
    /// never call it have the single direction `direction`; with that single direction it only
    /// checks. Joining a study that has other directions (several where one is given, or one
    /// where several are), or trials from before it had several, throws
    /// `TuningError.studyMismatch`.
    public func setDirections(_ directions: [StudyDirection]) throws {
        guard directions.first == direction else {
            throw TuningError.invalidSettings(
                component: "study '\(name)'",
                reason: "the first of the directions must be the study's direction (\(direction.rawValue))")
        }
        let stored = try self.directions()
        let hasOwnDirections = try storage.studyAttributes(study: record.id)[Self.directionsKey] != nil
        let hasTrials = try !trials().isEmpty
        if stored != directions, hasOwnDirections || hasTrials {
            let listed = { (list: [StudyDirection]) in list.map(\.rawValue).joined(separator: ", ") }
            throw TuningError.studyMismatch(name: name, reason: "directions [\(listed(stored))], not [\(listed(directions))]")
        }
        guard directions.count > 1 else { return }
        try storage.setStudyAttribute(study: record.id, key: Self.directionsKey, value: directions.map(\.rawValue).joined(separator: ","))
    }

    /// The study's directions: those recorded with `setDirections`, else `[direction]`.
    public func directions() throws -> [StudyDirection] {
        guard let text = try storage.studyAttributes(study: record.id)[Self.directionsKey] else { return [direction] }
        let directions = text.split(separator: ",").compactMap { StudyDirection(rawValue: String($0)) }
        return directions.isEmpty ? [direction] : directions
    }

    /// Completes a multi-objective trial with one value per direction. A value that is NaN or
    /// infinite fails the trial instead, as with a single value.
    @discardableResult
    public func tell(_ trial: Trial, values: [Double]) throws -> TrialRecord {
        guard let first = values.first else { return try tell(trial, .failed("the objective returned no values")) }
        guard values.allSatisfy(\.isFinite) else { return try tell(trial, .failed("the objective returned \(values)")) }
        try storage.setUserAttribute(trial: trial.id, key: TrialRecord.objectiveValuesKey, value: TrialRecord.encodedObjectiveValues(values))
        return try tell(trial, .complete(first))
    }

    /// The complete trials that no other complete trial dominates under `directions`.
    public func paretoTrials(directions: [StudyDirection]) throws -> [TrialRecord] {
        let complete = try trials().filter { $0.state == .complete && $0.objectiveValues.count == directions.count }
        let losses = complete.map { trial in zip(directions, trial.objectiveValues).map { $0.loss($1) } }
        return (Pareto.fronts(losses).first ?? []).map { complete[$0] }.sorted { $0.number < $1.number }
    }
}

extension Trial {
    /// Records the trial's objective values, one per direction of a multi-objective study. An
    /// objective calls it and returns the first value; the study then stores them all. A NaN or
    /// infinite value throws, which fails the trial.
    public func setObjectiveValues(_ values: [Double]) throws {
        guard !values.isEmpty, values.allSatisfy(\.isFinite) else {
            throw TuningError.invalidTrialState(trial: number, reason: "objective values \(values)")
        }
        try setUserAttribute(TrialRecord.objectiveValuesKey, TrialRecord.encodedObjectiveValues(values))
    }
}

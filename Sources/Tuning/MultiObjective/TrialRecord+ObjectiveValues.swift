extension TrialRecord {
    /// The user attribute that holds a multi-objective trial's values, one per direction,
    /// comma-separated. Kept as an attribute so that every storage, old databases included,
    /// holds them without a schema change; `value` holds the first of them.
    public static let objectiveValuesKey = "objective_values"

    /// The objective values of a complete trial: those of a multi-objective trial, else its
    /// single value (empty when it has none).
    public var objectiveValues: [Double] {
        if let text = userAttributes[Self.objectiveValuesKey] {
            let values = text.split(separator: ",").compactMap { Double($0) }
            if !values.isEmpty { return values }
        }
        return value.map { [$0] } ?? []
    }

    /// `values` as stored in `objectiveValuesKey`.
    static func encodedObjectiveValues(_ values: [Double]) -> String {
        values.map { "\($0)" }.joined(separator: ",")
    }
}

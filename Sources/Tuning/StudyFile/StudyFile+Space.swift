import Training

extension StudyFile {
    /// Reads the `space:` mapping: one entry per parameter, in file order.
    static func readSpace(_ value: YAMLValue) throws -> SearchSpace {
        let mapping = try value.mapping()
        guard !mapping.entries.isEmpty else { throw value.error("the search space has no parameters") }
        var parameters: [Parameter] = []
        for (name, entry) in mapping.entries {
            parameters.append(try readParameter(name: name, entry))
        }
        do {
            return try SearchSpace(parameters)
        } catch let TuningError.invalidSpace(parameter, reason) {
            throw (mapping[parameter] ?? value).error(reason)
        }
    }

    /// One parameter: a mapping with `type`, a bare list (categorical) or a bare value (fixed).
    private static func readParameter(name: String, _ entry: YAMLValue) throws -> Parameter {
        switch entry.tree {
        case .sequence:
            return .categorical(name, try entry.sequence().map { try $0.parameterValue() })
        case .scalar:
            return .fixed(name, try entry.parameterValue())
        case .mapping:
            break
        }
        let fields = try entry.mapping()
        let type = try fields.required("type").choice(["float", "int", "categorical", "fixed"])
        let allowed: [String]
        let distribution: Distribution
        switch type {
        case "float":
            allowed = ["type", "low", "high", "log", "step", "when"]
            distribution = .float(
                low: try fields.required("low").double(), high: try fields.required("high").double(),
                log: try fields["log"]?.bool() ?? false, step: try fields["step"]?.double())
        case "int":
            allowed = ["type", "low", "high", "log", "step", "when"]
            distribution = .int(
                low: try fields.required("low").int(), high: try fields.required("high").int(),
                step: try fields["step"]?.int() ?? 1, log: try fields["log"]?.bool() ?? false)
        case "categorical":
            allowed = ["type", "choices", "when"]
            distribution = .categorical(try fields.required("choices").sequence().map { try $0.parameterValue() })
        default:  // fixed
            allowed = ["type", "value", "when"]
            distribution = .fixed(try fields.required("value").parameterValue())
        }
        _ = try entry.mapping(allowedKeys: allowed)
        do {
            try distribution.validate(parameter: name)
        } catch let TuningError.invalidSpace(_, reason) {
            throw entry.error(reason)
        }
        var parameter = Parameter(name, distribution)
        if let when = fields["when"] {
            let condition = try when.mapping()
            guard condition.entries.count == 1, let (parent, values) = condition.entries.first else {
                throw when.error("a condition names exactly one parent, as in `when: {optimizer: sgd}`")
            }
            parameter.condition = Condition(
                parent: parent, values: try values.sequenceOrSingle().map { try $0.parameterValue() })
        }
        return parameter
    }
}

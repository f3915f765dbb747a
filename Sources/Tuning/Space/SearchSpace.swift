/// An ordered list of hyperparameters, validated when built.
///
/// Order matters: a conditional parameter follows its parent, and samplers decide parameters in
/// this order, so the parent's value is known when the child's existence is decided.
///
/// ```swift
/// let space = try SearchSpace {
///     Parameter.float("lr", 1e-5...1e-1, log: true)
///     Parameter.categorical("optimizer", ["sgd", "adam"])
///     Parameter.float("momentum", 0...0.99).when("optimizer", is: "sgd")
/// }
/// ```
public struct SearchSpace: Sendable, Hashable, Codable {
    /// The parameters in declaration order.
    public let parameters: [Parameter]

    /// Builds and validates a space; throws `TuningError.invalidSpace` naming the first bad parameter.
    public init(_ parameters: [Parameter]) throws {
        for (index, parameter) in parameters.enumerated() {
            guard !parameter.name.isEmpty else {
                throw TuningError.invalidSpace(parameter: "#\(index + 1)", reason: "the name is empty")
            }
            if parameters[..<index].contains(where: { $0.name == parameter.name }) {
                throw TuningError.invalidSpace(parameter: parameter.name, reason: "declared twice")
            }
            try parameter.distribution.validate(parameter: parameter.name)
            if let condition = parameter.condition {
                try Self.validate(condition, of: parameter.name, declaredBefore: parameters[..<index])
            }
        }
        self.parameters = parameters
    }

    /// Builds a space from parameters listed in a closure (see the type's example).
    public init(@SearchSpaceBuilder _ build: () -> [Parameter]) throws {
        try self.init(build())
    }

    /// The parameters that are searched: all but the fixed ones, in declaration order.
    public var searchedParameters: [Parameter] {
        parameters.filter { parameter in
            if case .fixed = parameter.distribution { return false }
            return true
        }
    }

    /// The parameter called `name`, if any.
    public subscript(name: String) -> Parameter? {
        parameters.first { $0.name == name }
    }

    /// Whether `parameter` exists given the values already decided for the parameters before it.
    public func isActive(_ parameter: Parameter, given values: [String: ParameterValue]) -> Bool {
        guard let condition = parameter.condition else { return true }
        guard let parentValue = values[condition.parent] else { return false }
        return condition.values.contains { $0.matches(parentValue) }
    }

    /// Decides a whole configuration in declaration order: `decide` is asked for each active
    /// parameter (fixed ones are filled in without asking), inactive ones are left out.
    public func configuration(
        _ decide: (Parameter, [String: ParameterValue]) throws -> ParameterValue
    ) rethrows -> [String: ParameterValue] {
        var values: [String: ParameterValue] = [:]
        for parameter in parameters where isActive(parameter, given: values) {
            if case let .fixed(value) = parameter.distribution {
                values[parameter.name] = value
            } else {
                values[parameter.name] = try decide(parameter, values)
            }
        }
        return values
    }

    /// Checks that `values` is a configuration of this space: every active parameter present and in
    /// its distribution, no inactive or unknown one. With `partial`, missing parameters are allowed
    /// (the sampler fills them in). Returns the values in canonical form.
    public func validated(_ values: [String: ParameterValue], partial: Bool = false) throws -> [String: ParameterValue] {
        for name in values.keys where self[name] == nil {
            throw TuningError.invalidConfiguration(parameter: name, reason: "not in the search space")
        }
        var canonical: [String: ParameterValue] = [:]
        for parameter in parameters {
            let active = isActive(parameter, given: canonical)
            guard let value = values[parameter.name] else {
                if active, !partial {
                    throw TuningError.invalidConfiguration(parameter: parameter.name, reason: "missing")
                }
                continue
            }
            guard active else {
                throw TuningError.invalidConfiguration(
                    parameter: parameter.name, reason: "given, but its condition on '\(parameter.condition?.parent ?? "")' does not hold")
            }
            guard parameter.distribution.contains(value) else {
                throw TuningError.invalidConfiguration(
                    parameter: parameter.name, reason: "\(value) is outside \(parameter.distribution)")
            }
            canonical[parameter.name] = parameter.distribution.canonical(value)
        }
        return canonical
    }

    private static func validate(
        _ condition: Condition, of name: String, declaredBefore earlier: ArraySlice<Parameter>
    ) throws {
        guard let parent = earlier.first(where: { $0.name == condition.parent }) else {
            throw TuningError.invalidSpace(
                parameter: name, reason: "its condition names '\(condition.parent)', which is not declared before it")
        }
        guard !condition.values.isEmpty else {
            throw TuningError.invalidSpace(parameter: name, reason: "its condition lists no values")
        }
        switch parent.distribution {
        case .categorical, .fixed:
            for value in condition.values where !parent.distribution.contains(value) {
                throw TuningError.invalidSpace(
                    parameter: name, reason: "its condition value '\(value)' is not a choice of '\(parent.name)'")
            }
        case .float, .int:
            throw TuningError.invalidSpace(
                parameter: name, reason: "its parent '\(parent.name)' must be categorical or fixed")
        }
    }
}

/// Stored as the list of parameters; decoding validates it again.
extension SearchSpace {
    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode([Parameter].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(parameters)
    }
}

/// Lets `SearchSpace { ... }` list parameters one per line, with `if` and loops.
@resultBuilder
public enum SearchSpaceBuilder {
    public static func buildExpression(_ parameter: Parameter) -> [Parameter] { [parameter] }
    public static func buildExpression(_ parameters: [Parameter]) -> [Parameter] { parameters }
    public static func buildBlock(_ parts: [Parameter]...) -> [Parameter] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Parameter]?) -> [Parameter] { part ?? [] }
    public static func buildEither(first part: [Parameter]) -> [Parameter] { part }
    public static func buildEither(second part: [Parameter]) -> [Parameter] { part }
    public static func buildArray(_ parts: [[Parameter]]) -> [Parameter] { parts.flatMap { $0 } }
}

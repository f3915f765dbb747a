import Training

extension YAMLValue {
    /// A scalar as a parameter value: quoted text stays text; a plain scalar is an integer, a
    /// finite number or a flag when it reads as one, else text.
    func parameterValue() throws -> ParameterValue {
        switch try scalar() {
        case let .int(value): .int(value)
        case let .double(value): .double(value)
        case let .bool(value): .bool(value)
        case let .string(value): .string(value)
        }
    }
}

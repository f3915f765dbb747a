/// Draws every parameter independently and uniformly (log-uniformly for log-scaled ones).
///
/// The baseline every other sampler must beat, and the start-up phase of the model-based ones.
public struct RandomSampler: Sampler {
    public init() {}

    public func sample(_ request: SamplingRequest) throws -> [String: ParameterValue] {
        var random = request.random(stream: SamplerStream.random)
        return request.configuration { parameter, _ in
            parameter.distribution.value(fromUnit: random.uniform())
        }
    }
}

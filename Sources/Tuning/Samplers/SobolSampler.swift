/// Quasi-random search: trial `n` takes the `n`-th point of a Sobol sequence with one dimension
/// per searched parameter (in declaration order; a conditional parameter keeps its dimension and
/// uses it when active). Covers the space more evenly than random points, with the same cost.
///
/// With `scramble` (the default), Owen's nested uniform scrambling drawn from the study's seed
/// permutes the sequence, so different seeds give different but equally even point sets.
public struct SobolSampler: Sampler {
    public var scramble: Bool

    public init(scramble: Bool = true) {
        self.scramble = scramble
    }

    public func validate(for space: SearchSpace) throws {
        _ = try SobolSequence(dimensions: space.searchedParameters.count, scramble: nil)
    }

    public func sample(_ request: SamplingRequest) throws -> [String: ParameterValue] {
        let searched = request.space.searchedParameters
        let scrambling = scramble ? SeededRandom(seed: request.seed, trial: -1, stream: SamplerStream.sobol) : nil
        let point = try SobolSequence(dimensions: searched.count, scramble: scrambling).point(request.trialNumber)
        let coordinates = Dictionary(uniqueKeysWithValues: zip(searched.map(\.name), point))
        return request.configuration { parameter, _ in
            parameter.distribution.value(fromUnit: coordinates[parameter.name] ?? 0.5)
        }
    }
}

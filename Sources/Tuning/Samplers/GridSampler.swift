import Synchronization

/// Exhaustive search: every point of a grid exactly once, across all workers of all processes
/// (each worker claims the next point index through the storage before creating its trial), and
/// then the study stops.
///
/// The grid takes every categorical choice and every integer (or stepped float) value, and
/// `floatPoints` evenly spaced values (log-spaced for log-scaled ones) of a continuous float;
/// `values` overrides a parameter's grid. Conditional parameters expand only under the parent
/// values that activate them, so `{optimizer: [sgd, adam], momentum: 3 values when sgd}` has 4
/// points, not 6.
public struct GridSampler: Sampler {
    public var floatPoints: Int
    public var values: [String: [ParameterValue]]
    /// Visit the points in an order shuffled by the study's seed instead of declaration order
    /// (useful when a time limit may stop the search early).
    public var shuffle: Bool
    private let cache = GridCache()

    public init(floatPoints: Int = 5, values: [String: [ParameterValue]] = [:], shuffle: Bool = false) {
        self.floatPoints = floatPoints
        self.values = values
        self.shuffle = shuffle
    }

    /// Every point of the grid over `space`, in visiting order.
    public func points(in space: SearchSpace, seed: UInt64) throws -> [[String: ParameterValue]] {
        try cache.points(for: GridKey(space: space, seed: shuffle ? seed : 0)) {
            var points = try enumerate(space)
            if shuffle {
                var random = SeededRandom(seed: seed, trial: -1, stream: SamplerStream.grid)
                points.shuffle(using: &random)
            }
            return points
        }
    }

    /// Each point is claimed once, so an interrupted trial's point is queued again.
    public var proposesEachPointOnce: Bool { true }

    public func validate(for space: SearchSpace) throws {
        _ = try points(in: space, seed: 0)
    }

    public func reserve(_ request: ReservationRequest) throws -> SamplerReservation {
        let index = try request.claimCounter("grid")
        return index < (try points(in: request.space, seed: request.seed).count) ? .index(index) : .exhausted
    }

    public func sample(_ request: SamplingRequest) throws -> [String: ParameterValue] {
        var random = request.random(stream: SamplerStream.grid)
        var point: [String: ParameterValue] = [:]
        if case let .index(index) = request.reservation {
            point = try points(in: request.space, seed: request.seed)[index]
        }
        return request.configuration { parameter, _ in
            point[parameter.name] ?? parameter.distribution.value(fromUnit: random.uniform())
        }
    }

    private func enumerate(_ space: SearchSpace) throws -> [[String: ParameterValue]] {
        guard floatPoints >= 1 else {
            throw TuningError.invalidSettings(component: "grid sampler", reason: "floatPoints must be at least 1")
        }
        for (name, list) in values {
            guard let parameter = space[name] else {
                throw TuningError.invalidSettings(component: "grid sampler", reason: "values given for unknown parameter '\(name)'")
            }
            for value in list where !parameter.distribution.contains(value) {
                throw TuningError.invalidSettings(component: "grid sampler", reason: "value \(value) is outside parameter '\(name)'")
            }
        }
        var points: [[String: ParameterValue]] = [[:]]
        for parameter in space.parameters {
            if values[parameter.name] == nil, parameter.distribution.gridCount(floatPoints: floatPoints) > Double(Self.maximumPoints) {
                throw TuningError.invalidSettings(
                    component: "grid sampler", reason: "parameter '\(parameter.name)' alone has more than \(Self.maximumPoints) grid points")
            }
            let grid = values[parameter.name] ?? parameter.distribution.gridValues(floatPoints: floatPoints)
            points = points.flatMap { point -> [[String: ParameterValue]] in
                guard space.isActive(parameter, given: point) else { return [point] }
                return grid.map { value in point.merging([parameter.name: value]) { $1 } }
            }
            guard points.count <= Self.maximumPoints else {
                throw TuningError.invalidSettings(
                    component: "grid sampler", reason: "the grid has more than \(Self.maximumPoints) points (at parameter '\(parameter.name)')")
            }
        }
        return points
    }

    /// The largest grid the sampler builds.
    public static let maximumPoints = 1_000_000
}

private struct GridKey: Hashable {
    var space: SearchSpace
    var seed: UInt64
}

/// Remembers built grids, so claiming a point does not rebuild the grid.
private final class GridCache: Sendable {
    private let grids = Mutex<[GridKey: [[String: ParameterValue]]]>([:])

    func points(for key: GridKey, build: () throws -> [[String: ParameterValue]]) throws -> [[String: ParameterValue]] {
        if let points = grids.withLock({ $0[key] }) { return points }
        let points = try build()
        grids.withLock { $0[key] = points }
        return points
    }
}

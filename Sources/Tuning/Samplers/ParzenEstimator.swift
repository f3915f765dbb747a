import Foundation

/// A weighted mixture of kernels, one per observed configuration plus one broad prior kernel,
/// over a group of parameters: truncated normals for numeric parameters (on their internal axis),
/// smoothed one-hot distributions for categoricals. A component picks one kernel per parameter,
/// so a multi-parameter estimator models the parameters jointly.
///
/// Points are arrays of internal values in parameter order (a categorical's choice index).
struct ParzenEstimator {
    struct Settings: Sendable, Hashable {
        /// Weight of the prior kernel relative to one observation.
        var priorWeight = 1.0
        /// Whether bandwidths are floored at range / min(100, n + 2) (Bergstra's "magic clip").
        var magicClip = true
    }

    private let parameters: [Parameter]
    /// Normalised component weights (observations, then the prior).
    private let logWeights: [Double]
    private let weights: [Double]
    /// Per parameter: means and bandwidths of numeric kernels, or per-component choice
    /// probabilities of categorical ones.
    private let kernels: [Kernel]

    private enum Kernel {
        case numeric(means: [Double], sigmas: [Double], low: Double, high: Double)
        case categorical(logProbabilities: [[Double]])
    }

    /// - Parameters:
    ///   - observations: one point per observation, values in parameter order.
    ///   - observationWeights: one weight per observation (older ones may weigh less).
    init(parameters: [Parameter], observations: [[Double]], observationWeights: [Double], settings: Settings) {
        self.parameters = parameters
        let count = observations.count
        var rawWeights = observationWeights + [settings.priorWeight]
        let total = rawWeights.reduce(0, +)
        rawWeights = rawWeights.map { $0 / total }
        weights = rawWeights
        logWeights = rawWeights.map { Foundation.log(max($0, 1e-300)) }

        kernels = parameters.enumerated().map { column, parameter in
            let distribution = parameter.distribution
            if distribution.isNumeric {
                let range = distribution.internalRange
                let low = range.lowerBound, high = range.upperBound, width = high - low
                let means = observations.map { $0[column] }
                var sigmas = Self.neighbourBandwidths(means: means, low: low, high: high)
                let minimum = settings.magicClip ? width / min(100, Double(count + 1) + 1) : 1e-12 * width
                sigmas = sigmas.map { min(max($0, minimum), width) }
                return .numeric(means: means + [(low + high) / 2], sigmas: sigmas + [width], low: low, high: high)
            } else {
                let choices = distribution.choiceCount
                let smoothing = settings.priorWeight / Double(count + 1)
                var rows: [[Double]] = observations.map { point in
                    let chosen = Int(point[column])
                    let row = (0..<choices).map { smoothing + ($0 == chosen ? 1 : 0) }
                    let sum = row.reduce(0, +)
                    return row.map { Foundation.log($0 / sum) }
                }
                rows.append(Array(repeating: -Foundation.log(Double(choices)), count: choices))
                return .categorical(logProbabilities: rows)
            }
        }
    }

    /// Bandwidths per dimension: each kernel spans the larger gap to its sorted neighbours among
    /// the observations (the bounds standing in at the ends; the outermost kernels use their inner
    /// gap). Dense regions get narrow kernels, sparse ones wide.
    private static func neighbourBandwidths(means: [Double], low: Double, high: Double) -> [Double] {
        let order = means.indices.sorted { means[$0] < means[$1] }
        let sorted: [Double] = [low] + order.map { means[$0] } + [high]
        var sortedSigmas: [Double] = []
        for i in 1..<(sorted.count - 1) {
            let left: Double = sorted[i] - sorted[i - 1]
            let right: Double = sorted[i + 1] - sorted[i]
            sortedSigmas.append(max(left, right))
        }
        if sorted.count >= 4 {
            sortedSigmas[0] = sorted[2] - sorted[1]
            sortedSigmas[sortedSigmas.count - 1] = sorted[sorted.count - 2] - sorted[sorted.count - 3]
        }
        var sigmas = [Double](repeating: 0, count: means.count)
        for (rank, index) in order.enumerated() { sigmas[index] = sortedSigmas[rank] }
        return sigmas
    }

    /// `count` points drawn from the mixture.
    func sample(count: Int, using random: inout SeededRandom) -> [[Double]] {
        (0..<count).map { _ in
            let component = Self.pick(weights, u: random.uniform())
            return kernels.map { kernel in
                switch kernel {
                case let .numeric(means, sigmas, low, high):
                    return Normal.truncatedSample(
                        mean: means[component], sigma: sigmas[component], low: low, high: high, u: random.uniform())
                case let .categorical(rows):
                    return Double(Self.pick(rows[component].map(Foundation.exp), u: random.uniform()))
                }
            }
        }
    }

    /// The log density (log mass for discrete parameters) of the mixture at each point.
    func logDensity(_ points: [[Double]]) -> [Double] {
        points.map { point in
            var perComponent = logWeights
            for (column, kernel) in kernels.enumerated() {
                let x = point[column]
                switch kernel {
                case let .numeric(means, sigmas, low, high):
                    let bin = parameters[column].distribution.internalBin(around: x)
                    for k in perComponent.indices {
                        perComponent[k] += Normal.truncatedLogDensity(
                            x, mean: means[k], sigma: sigmas[k], low: low, high: high, bin: bin)
                    }
                case let .categorical(rows):
                    let choice = Int(x)
                    for k in perComponent.indices { perComponent[k] += rows[k][choice] }
                }
            }
            return Normal.logSumExp(perComponent)
        }
    }

    private static func pick(_ weights: [Double], u: Double) -> Int {
        let total = weights.reduce(0, +)
        var threshold = u * total
        for (index, weight) in weights.enumerated() {
            threshold -= weight
            if threshold < 0 { return index }
        }
        return weights.count - 1
    }
}

import Foundation

extension GaussianProcess {
    /// A kernel with one oblique direction u besides the length scale per axis: the squared
    /// distance gains (u·(a − b))², so a loss that changes fast along a direction that no axis
    /// follows (a valley across the box) is modelled by one short scale along u, and the axes
    /// keep long scales along the valley instead of all turning short.
    enum Oblique {
        /// Standard deviation of the normal prior on each component of u.
        static let directionSpread = 3.0

        /// What the oblique fit's log posterior must gain over the axis-aligned one to be kept:
        /// d·log n for its d extra parameters on n points, twice the Bayesian information
        /// criterion's ½·d·log n. The direction is the best of several starts over every
        /// orientation, so a fit finds some gain on any function; at BIC's bar it was kept on
        /// 3–6 % of the fits on functions whose structure follows the axes (docs/tuning.md), and
        /// a wrong direction costs more than a missed one.
        static func penalty(dimensions: Int, points: Int) -> Double {
            Double(dimensions) * Foundation.log(Double(max(points, 2)))
        }

        /// The best oblique fit from the axis-aligned optimum `theta` (log length scales, signal,
        /// noise). u starts along each of two guesses at the direction the targets change most:
        /// the slope of their least-squares plane (a trend across the box) and the leading
        /// eigenvector of the mean outer product of the axis-aligned model's gradients at the
        /// points (its active subspace: also a valley the targets rise on both sides of). Each
        /// guess starts twice: with the fitted length scales and |u| the inverse of their
        /// geometric mean, and with longer length scales and |u| doubled (the valley's own scale
        /// then comes from u).
        static func fit(from theta: [Double], inputs: [[Double]], targets: [Double]) -> (point: [Double], value: Double)? {
            let d = inputs[0].count
            var guesses: [[Double]] = []
            if let slope = leastSquaresSlope(inputs: inputs, targets: targets) { guesses.append(slope) }
            if let aligned = GaussianProcess(inputs: inputs, targets: targets, theta: Array(theta.prefix(d + 2)), negativeLogPosterior: 0) {
                guesses.append(leadingGradientDirection(of: aligned, at: inputs))
            }
            let meanLogLength = theta.prefix(d).reduce(0, +) / Double(d)
            let lower = Array(repeating: Bounds.logLength.0, count: d) + [Bounds.logSignal.0, Bounds.logNoise.0]
                + Array(repeating: -Bounds.direction, count: d)
            let upper = Array(repeating: Bounds.logLength.1, count: d) + [Bounds.logSignal.1, Bounds.logNoise.1]
                + Array(repeating: Bounds.direction, count: d)
            let longLengths = Array(repeating: meanLogLength + 1, count: d)
            var starts: [[Double]] = []
            for guess in guesses {
                let norm = guess.reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm > 0, norm.isFinite else { continue }
                let unit = guess.map { $0 / norm / Foundation.exp(meanLogLength) }
                starts.append(Array(theta.prefix(d + 2)) + unit)
                starts.append(longLengths + Array(theta[d..<(d + 2)]) + unit.map { 2 * $0 })
            }
            return highestPosterior(from: starts, lower: lower, upper: upper, inputs: inputs, targets: targets)
        }

        /// The leading eigenvector (by power iteration) of Σ ∇μ(x)∇μ(x)ᵀ over `points`, μ the
        /// posterior mean of `process`.
        static func leadingGradientDirection(of process: GaussianProcess, at points: [[Double]]) -> [Double] {
            let d = points[0].count
            var outer = [Double](repeating: 0, count: d * d)
            for point in points {
                let gradient = process.predictWithGradient(point).meanGradient
                for i in 0..<d {
                    for j in 0..<d { outer[i * d + j] += gradient[i] * gradient[j] }
                }
            }
            var vector = (0..<d).map { outer[$0 * d + $0] }
            for _ in 0..<50 {
                let next = (0..<d).map { i in (0..<d).reduce(0) { $0 + outer[i * d + $1] * vector[$1] } }
                let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm > 0, norm.isFinite else { break }
                vector = next.map { $0 / norm }
            }
            return vector
        }

        /// The slope of the least-squares plane through (inputs, targets), slightly ridged so a
        /// degenerate design still solves.
        static func leastSquaresSlope(inputs: [[Double]], targets: [Double]) -> [Double]? {
            let n = Double(inputs.count), d = inputs[0].count
            let means = (0..<d).map { i in inputs.reduce(0) { $0 + $1[i] } / n }
            let targetMean = targets.reduce(0, +) / n
            var gram = [Double](repeating: 0, count: d * d), moments = [Double](repeating: 0, count: d)
            for (input, target) in zip(inputs, targets) {
                for i in 0..<d {
                    let a = input[i] - means[i]
                    moments[i] += a * (target - targetMean)
                    for j in 0..<d { gram[i * d + j] += a * (input[j] - means[j]) }
                }
            }
            for i in 0..<d { gram[i * d + i] += 1e-6 * n }
            return Cholesky(gram, size: d)?.solve(moments)
        }
    }
}

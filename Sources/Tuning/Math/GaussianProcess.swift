import Foundation

/// A Gaussian-process regression model with a Matérn-5/2 kernel and one length scale per input
/// dimension (ARD), fitted by maximising the marginal likelihood (with weak priors that keep the
/// hyperparameters sensible on few points). Inputs live in [0, 1]^d; targets should be
/// standardised.
struct GaussianProcess {
    private let inputs: [[Double]]
    /// The fitted length scale of each input.
    let lengthScales: [Double]
    /// The fitted oblique direction u (empty without one, see `Oblique`): the squared scaled
    /// distance is Σ((aᵢ − bᵢ)/ℓᵢ)² + (u·(a − b))².
    let direction: [Double]
    private let signalVariance: Double
    private let cholesky: Cholesky
    private let alpha: [Double]
    /// −log posterior of the fitted hyperparameters on the points they were fitted to (lower
    /// is better): compares fits of the same points, e.g. under different target transforms.
    let negativeLogPosterior: Double

    /// Bounds of the hyperparameters: log length scales, log signal variance, log noise variance,
    /// and each component of an oblique direction.
    struct Bounds {
        static let logLength = (Foundation.log(0.01), Foundation.log(20.0))
        static let logSignal = (Foundation.log(0.05), Foundation.log(20.0))
        static let logNoise = (Foundation.log(1e-6), Foundation.log(0.5))
        /// The largest |uᵢ| of an oblique direction.
        static let direction = 100.0
    }

    /// Fits the model; `nil` when the kernel matrix cannot be factored. The hyperparameters
    /// maximise the posterior from a default start and random starts drawn from the priors (three
    /// on up to 64 points, one beyond, where the posterior is narrower), on a random subset of
    /// `hyperparameterPoints` points when there are more (a fit costs O(n³) per step); the model
    /// then conditions on all points. `restarts` replaces the number of random starts. With
    /// `oblique`, a kernel with an oblique direction is also fitted (`Oblique`) and kept where
    /// its posterior beats the axis-aligned one's by more than its extra parameters' penalty.
    static func fit(
        inputs: [[Double]], targets: [Double], hyperparameterPoints: Int = 100, restarts: Int? = nil,
        oblique: Bool = false, random: inout SeededRandom
    ) -> GaussianProcess? {
        guard let dimensions = inputs.first?.count, !inputs.isEmpty else { return nil }
        var fitInputs = inputs, fitTargets = targets
        if inputs.count > hyperparameterPoints {
            var order = Array(inputs.indices)
            for index in 0..<hyperparameterPoints {
                order.swapAt(index, index + random.index(below: order.count - index))
            }
            fitInputs = order.prefix(hyperparameterPoints).map { inputs[$0] }
            fitTargets = order.prefix(hyperparameterPoints).map { targets[$0] }
        }
        let restarts = restarts ?? (fitInputs.count <= 64 ? 3 : 1)
        let lower = Array(repeating: Bounds.logLength.0, count: dimensions) + [Bounds.logSignal.0, Bounds.logNoise.0]
        let upper = Array(repeating: Bounds.logLength.1, count: dimensions) + [Bounds.logSignal.1, Bounds.logNoise.1]
        let prior = Prior(dimensions: dimensions)
        let defaultStart = Array(repeating: prior.logLengthMean, count: dimensions) + [0, Foundation.log(1e-3)]
        var starts = [defaultStart]
        for _ in 0..<restarts {
            let lengths = (0..<dimensions).map { _ in prior.logLengthMean + prior.logLengthSpread * random.gaussian() }
            starts.append(lengths + [prior.logSignalSpread * random.gaussian(), Foundation.log(1e-3) + 2 * random.gaussian()])
        }
        let best = highestPosterior(from: starts, lower: lower, upper: upper, inputs: fitInputs, targets: fitTargets)
        var theta = best?.point ?? defaultStart
        var value = best?.value ?? .infinity
        if oblique, dimensions >= 2, value.isFinite,
           let tilted = Oblique.fit(from: theta, inputs: fitInputs, targets: fitTargets),
           tilted.value + Oblique.penalty(dimensions: dimensions, points: fitInputs.count) < value {
            (theta, value) = (tilted.point, tilted.value)
        }
        return GaussianProcess(inputs: inputs, targets: targets, theta: theta, negativeLogPosterior: value)
    }

    /// The hyperparameters of highest posterior (lowest `negativeLogPosterior`) that bounded
    /// L-BFGS reaches from any of `starts`, and that lowest value; `nil` if none is finite.
    static func highestPosterior(
        from starts: [[Double]], lower: [Double], upper: [Double], inputs: [[Double]], targets: [Double]
    ) -> (point: [Double], value: Double)? {
        let optimizer = BoundedLBFGS()
        var best: (point: [Double], value: Double)?
        for start in starts {
            let result = optimizer.minimize(from: start, lower: lower, upper: upper) { theta in
                negativeLogPosterior(theta, inputs: inputs, targets: targets)
            }
            if result.value.isFinite, result.value < (best?.value ?? .infinity) { best = result }
        }
        return best
    }

    /// The priors on the log hyperparameters: normal on each log length scale, centred where a
    /// function of `d` inputs of [0, 1] typically varies (longer as d grows, as distances between
    /// random points grow like √d), normal around 1 on the signal variance, and a gamma prior on
    /// the noise variance.
    struct Prior {
        let logLengthMean: Double
        let logLengthSpread = 1.0
        let logSignalSpread = 1.5
        /// Gamma(shape, rate) on the noise variance (of the standardised losses): its mode is
        /// 0.00033 (a noise standard deviation of 1.8 % of the losses' spread), so even a
        /// deterministic objective is modelled as slightly noisy, which keeps the fit from chasing
        /// exact interpolation of every trial, yet differences of a few percent of the spread
        /// near the best trials are not taken for noise; with shape 1.1 the prior is nearly
        /// exponential, so a noisy objective's residuals still raise the fitted noise.
        let noiseShape = 1.1
        let noiseRate = 300.0

        init(dimensions: Int) {
            logLengthMean = Foundation.log(0.5 * Double(max(dimensions, 1)).squareRoot())
        }
    }

    /// The model with hyperparameters `theta` (see `negativeLogPosterior`) conditioned on the
    /// points; `nil` when the kernel matrix cannot be factored.
    init?(inputs: [[Double]], targets: [Double], theta: [Double], negativeLogPosterior: Double) {
        let d = inputs[0].count
        lengthScales = theta.prefix(d).map(Foundation.exp)
        signalVariance = Foundation.exp(theta[d])
        let noise = Foundation.exp(theta[d + 1])
        direction = Array(theta.dropFirst(d + 2))
        let n = inputs.count
        var matrix = [Double](repeating: 0, count: n * n)
        for a in 0..<n {
            for b in 0...a {
                let k = signalVariance * Self.matern(Self.distance(inputs[a], inputs[b], lengthScales, direction))
                matrix[a * n + b] = k
                matrix[b * n + a] = k
            }
            matrix[a * n + a] += noise
        }
        guard let cholesky = Cholesky(matrix, size: n) else { return nil }
        self.inputs = inputs
        self.negativeLogPosterior = negativeLogPosterior
        self.cholesky = cholesky
        alpha = cholesky.solve(targets)
    }

    /// Posterior mean and variance of the latent function at `x`.
    func predict(_ x: [Double]) -> (mean: Double, variance: Double) {
        let k = inputs.map { signalVariance * Self.matern(Self.distance($0, x, lengthScales, direction)) }
        let mean = zip(k, alpha).reduce(0) { $0 + $1.0 * $1.1 }
        let v = cholesky.solveLower(k)
        let variance = signalVariance - v.reduce(0) { $0 + $1 * $1 }
        return (mean, max(variance, 1e-12))
    }

    /// Posterior mean and variance at `x` with their gradients in `x`.
    func predictWithGradient(_ x: [Double]) -> (mean: Double, variance: Double, meanGradient: [Double], varianceGradient: [Double]) {
        let d = x.count
        var k = [Double](repeating: 0, count: inputs.count)
        // ∂k_i/∂x_j = −(5/3)·σ²·(1 + √5 r)·e^(−√5 r)·((x_j − X_ij)/ℓ_j² + p·u_j), p = u·(x − X_i);
        // this keeps the factor before the bracket, and the projections p.
        var slope = [Double](repeating: 0, count: inputs.count)
        var projections = [Double](repeating: 0, count: inputs.count)
        for (i, input) in inputs.enumerated() {
            if !direction.isEmpty { projections[i] = Self.projection(x, input, direction) }
            let r = Self.distance(input, x, lengthScales, projection: projections[i])
            let s = 5.0.squareRoot() * r
            let e = Foundation.exp(-s)
            k[i] = signalVariance * (1 + s + s * s / 3) * e
            slope[i] = -(5.0 / 3.0) * signalVariance * (1 + s) * e
        }
        let mean = zip(k, alpha).reduce(0) { $0 + $1.0 * $1.1 }
        let v = cholesky.solveLower(k)
        let variance = signalVariance - v.reduce(0) { $0 + $1 * $1 }
        let w = cholesky.solveUpper(v)  // K⁻¹k
        var meanGradient = [Double](repeating: 0, count: d)
        var varianceGradient = [Double](repeating: 0, count: d)
        for (i, input) in inputs.enumerated() {
            for j in 0..<d {
                var change = (x[j] - input[j]) / (lengthScales[j] * lengthScales[j])
                if !direction.isEmpty { change += projections[i] * direction[j] }
                let dk = slope[i] * change
                meanGradient[j] += alpha[i] * dk
                varianceGradient[j] -= 2 * w[i] * dk
            }
        }
        if variance < 1e-12 { varianceGradient = Array(repeating: 0, count: d) }
        return (mean, max(variance, 1e-12), meanGradient, varianceGradient)
    }

    /// Matérn 5/2 as a function of the scaled distance r.
    static func matern(_ r: Double) -> Double {
        let s = 5.0.squareRoot() * r
        return (1 + s + s * s / 3) * Foundation.exp(-s)
    }

    /// The scaled distance: √(Σ((aᵢ − bᵢ)/ℓᵢ)² + (u·(a − b))²), u = `direction` (may be empty).
    static func distance(_ a: [Double], _ b: [Double], _ lengthScales: [Double], _ direction: [Double] = []) -> Double {
        distance(a, b, lengthScales, projection: direction.isEmpty ? 0 : projection(a, b, direction))
    }

    /// The scaled distance given the projection p = ±u·(a − b) already computed (0 without a direction).
    static func distance(_ a: [Double], _ b: [Double], _ lengthScales: [Double], projection p: Double) -> Double {
        var sum = 0.0
        for i in a.indices {
            let d = (a[i] - b[i]) / lengthScales[i]
            sum += d * d
        }
        return (sum + p * p).squareRoot()
    }

    /// u·(a − b).
    static func projection(_ a: [Double], _ b: [Double], _ direction: [Double]) -> Double {
        var sum = 0.0
        for i in a.indices { sum += direction[i] * (a[i] - b[i]) }
        return sum
    }

    /// −log p(y | θ) − log p(θ) and its gradient in θ = (log ℓ₁…ℓ_d, log σ², log σₙ²), followed
    /// by the oblique direction u₁…u_d where θ has 2d + 2 entries.
    static func negativeLogPosterior(_ theta: [Double], inputs: [[Double]], targets: [Double]) -> (value: Double, gradient: [Double]) {
        let n = inputs.count, d = inputs[0].count
        let lengths = theta.prefix(d).map(Foundation.exp)
        let signal = Foundation.exp(theta[d]), noise = Foundation.exp(theta[d + 1])
        let direction = Array(theta.dropFirst(d + 2))
        let oblique = !direction.isEmpty
        var matrix = [Double](repeating: 0, count: n * n)
        // For each pair a > b: the differences per dimension, the projection on u and the radius.
        var differences = [Double](repeating: 0, count: n * n * d)
        var projections = [Double](repeating: 0, count: oblique ? n * n : 0)
        var radii = [Double](repeating: 0, count: n * n)
        for a in 0..<n {
            for b in 0..<a {
                var r2 = 0.0, p = 0.0
                let base = (a * n + b) * d
                for i in 0..<d {
                    let difference = inputs[a][i] - inputs[b][i]
                    differences[base + i] = difference
                    let scaled = difference / lengths[i]
                    r2 += scaled * scaled
                    if oblique { p += direction[i] * difference }
                }
                if oblique {
                    projections[a * n + b] = p
                    r2 += p * p
                }
                let r = r2.squareRoot()
                let k = signal * matern(r)
                matrix[a * n + b] = k
                matrix[b * n + a] = k
                radii[a * n + b] = r
            }
            matrix[a * n + a] = signal + noise
        }
        guard let cholesky = Cholesky(matrix, size: n, jitter: 1e-9) else {
            return (.infinity, Array(repeating: 0, count: theta.count))
        }
        let alpha = cholesky.solve(targets)
        let dataFit = 0.5 * zip(targets, alpha).reduce(0) { $0 + $1.0 * $1.1 }
        var value = dataFit + 0.5 * cholesky.logDeterminant + 0.5 * Double(n) * Foundation.log(2 * Double.pi)

        // dNLL/dθ = ½ Σ_ab W_ab ∂K_ab/∂θ with W = K⁻¹ − α αᵀ.
        let inverse = cholesky.inverse()
        var gradient = [Double](repeating: 0, count: theta.count)
        let root5 = 5.0.squareRoot()
        let squaredLengths = lengths.map { $0 * $0 }
        for a in 0..<n {
            let wDiagonal = inverse[a * n + a] - alpha[a] * alpha[a]
            gradient[d] += 0.5 * wDiagonal * signal
            gradient[d + 1] += 0.5 * wDiagonal * noise
            for b in 0..<a {
                let w = inverse[a * n + b] - alpha[a] * alpha[b]  // counted twice: (a,b) and (b,a)
                let s = root5 * radii[a * n + b]
                // −2·∂K_ab/∂r²: ∂r²/∂log ℓᵢ = −2·(Δᵢ/ℓᵢ)², ∂r²/∂uᵢ = 2·p·Δᵢ.
                let common = w * signal * (5.0 / 3.0) * (1 + s) * Foundation.exp(-s)
                let base = (a * n + b) * d
                for i in 0..<d {
                    let difference = differences[base + i]
                    gradient[i] += common * difference * difference / squaredLengths[i]
                }
                if oblique {
                    let p = projections[a * n + b]
                    for i in 0..<d { gradient[d + 2 + i] -= common * p * differences[base + i] }
                }
                gradient[d] += w * matrix[a * n + b]
            }
        }
        // Weak priors (see `Prior`, `Oblique`).
        let prior = Prior(dimensions: d)
        for i in 0..<d {
            let z = (theta[i] - prior.logLengthMean) / prior.logLengthSpread
            value += 0.5 * z * z
            gradient[i] += z / prior.logLengthSpread
        }
        let zSignal = theta[d] / prior.logSignalSpread
        value += 0.5 * zSignal * zSignal
        gradient[d] += zSignal / prior.logSignalSpread
        let noiseTerm = prior.noiseRate * noise
        value += noiseTerm - (prior.noiseShape - 1) * theta[d + 1]
        gradient[d + 1] += noiseTerm - (prior.noiseShape - 1)
        for i in 0..<direction.count {
            let z = direction[i] / Oblique.directionSpread
            value += 0.5 * z * z
            gradient[d + 2 + i] += z / Oblique.directionSpread
        }
        return (value, gradient)
    }
}

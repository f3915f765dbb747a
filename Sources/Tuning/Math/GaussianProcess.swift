import Foundation

/// A Gaussian-process regression model with a Matérn-5/2 kernel and one length scale per input
/// dimension (ARD), fitted by maximising the marginal likelihood (with weak priors that keep the
/// hyperparameters sensible on few points). Inputs live in [0, 1]^d; targets should be
/// standardised.
struct GaussianProcess {
    private let inputs: [[Double]]
    /// The fitted length scale of each input.
    let lengthScales: [Double]
    private let signalVariance: Double
    private let cholesky: Cholesky
    private let alpha: [Double]
    /// −log posterior of the fitted hyperparameters on the points they were fitted to (lower
    /// is better): compares fits of the same points, e.g. under different target transforms.
    let negativeLogPosterior: Double

    /// Hyperparameters as log values: length scales, then signal variance, then noise variance.
    private struct Bounds {
        static let logLength = (Foundation.log(0.01), Foundation.log(20.0))
        static let logSignal = (Foundation.log(0.05), Foundation.log(20.0))
        static let logNoise = (Foundation.log(1e-6), Foundation.log(0.5))
    }

    /// Fits the model; `nil` when the kernel matrix cannot be factored. The hyperparameters
    /// maximise the posterior from a default start and random starts drawn from the priors (three
    /// on up to 64 points, one beyond, where the posterior is narrower), on a random subset of
    /// `hyperparameterPoints` points when there are more (a fit costs O(n³) per step); the model
    /// then conditions on all points. `restarts` replaces the number of random starts.
    static func fit(
        inputs: [[Double]], targets: [Double], hyperparameterPoints: Int = 100, restarts: Int? = nil,
        random: inout SeededRandom
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
        let optimizer = BoundedLBFGS()
        var best: (point: [Double], value: Double)?
        for start in starts {
            let result = optimizer.minimize(from: start, lower: lower, upper: upper) { theta in
                negativeLogPosterior(theta, inputs: fitInputs, targets: fitTargets)
            }
            if result.value.isFinite, result.value < (best?.value ?? .infinity) { best = result }
        }
        let theta = best?.point ?? defaultStart
        return GaussianProcess(inputs: inputs, targets: targets, theta: theta, negativeLogPosterior: best?.value ?? .infinity)
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

    private init?(inputs: [[Double]], targets: [Double], theta: [Double], negativeLogPosterior: Double) {
        let d = inputs[0].count
        lengthScales = theta.prefix(d).map(Foundation.exp)
        signalVariance = Foundation.exp(theta[d])
        let noise = Foundation.exp(theta[d + 1])
        let n = inputs.count
        var matrix = [Double](repeating: 0, count: n * n)
        for a in 0..<n {
            for b in 0...a {
                let k = signalVariance * Self.matern(Self.distance(inputs[a], inputs[b], lengthScales))
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
        let k = inputs.map { signalVariance * Self.matern(Self.distance($0, x, lengthScales)) }
        let mean = zip(k, alpha).reduce(0) { $0 + $1.0 * $1.1 }
        let v = cholesky.solveLower(k)
        let variance = signalVariance - v.reduce(0) { $0 + $1 * $1 }
        return (mean, max(variance, 1e-12))
    }

    /// Posterior mean and variance at `x` with their gradients in `x`.
    func predictWithGradient(_ x: [Double]) -> (mean: Double, variance: Double, meanGradient: [Double], varianceGradient: [Double]) {
        let d = x.count
        var k = [Double](repeating: 0, count: inputs.count)
        // ∂k_i/∂x_j = −(5/3)·σ²·(1 + √5 r)·e^(−√5 r)·(x_j − X_ij)/ℓ_j²; this keeps the factor before the difference.
        var slope = [Double](repeating: 0, count: inputs.count)
        for (i, input) in inputs.enumerated() {
            let r = Self.distance(input, x, lengthScales)
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
                let dk = slope[i] * (x[j] - input[j]) / (lengthScales[j] * lengthScales[j])
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

    static func distance(_ a: [Double], _ b: [Double], _ lengthScales: [Double]) -> Double {
        var sum = 0.0
        for i in a.indices {
            let d = (a[i] - b[i]) / lengthScales[i]
            sum += d * d
        }
        return sum.squareRoot()
    }

    /// −log p(y | θ) − log p(θ) and its gradient in θ = (log ℓ₁…ℓ_d, log σ², log σₙ²).
    static func negativeLogPosterior(_ theta: [Double], inputs: [[Double]], targets: [Double]) -> (value: Double, gradient: [Double]) {
        let n = inputs.count, d = inputs[0].count
        let lengths = theta.prefix(d).map(Foundation.exp)
        let signal = Foundation.exp(theta[d]), noise = Foundation.exp(theta[d + 1])
        var matrix = [Double](repeating: 0, count: n * n)
        // For each pair a > b: the squared scaled differences per dimension, and the radius.
        var scaledSquares = [Double](repeating: 0, count: n * n * d)
        var radii = [Double](repeating: 0, count: n * n)
        for a in 0..<n {
            for b in 0..<a {
                var r2 = 0.0
                for i in 0..<d {
                    let diff = (inputs[a][i] - inputs[b][i]) / lengths[i]
                    scaledSquares[(a * n + b) * d + i] = diff * diff
                    r2 += diff * diff
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
            return (.infinity, Array(repeating: 0, count: d + 2))
        }
        let alpha = cholesky.solve(targets)
        let dataFit = 0.5 * zip(targets, alpha).reduce(0) { $0 + $1.0 * $1.1 }
        var value = dataFit + 0.5 * cholesky.logDeterminant + 0.5 * Double(n) * Foundation.log(2 * Double.pi)

        // dNLL/dθ = ½ Σ_ab W_ab ∂K_ab/∂θ with W = K⁻¹ − α αᵀ.
        let inverse = cholesky.inverse()
        var gradient = [Double](repeating: 0, count: d + 2)
        let root5 = 5.0.squareRoot()
        for a in 0..<n {
            let wDiagonal = inverse[a * n + a] - alpha[a] * alpha[a]
            gradient[d] += 0.5 * wDiagonal * signal
            gradient[d + 1] += 0.5 * wDiagonal * noise
            for b in 0..<a {
                let w = inverse[a * n + b] - alpha[a] * alpha[b]  // counted twice: (a,b) and (b,a)
                let s = root5 * radii[a * n + b]
                let common = w * signal * (5.0 / 3.0) * (1 + s) * Foundation.exp(-s)
                let base = (a * n + b) * d
                for i in 0..<d { gradient[i] += common * scaledSquares[base + i] }
                gradient[d] += w * matrix[a * n + b]
            }
        }
        // Weak priors (see `Prior`).
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
        return (value, gradient)
    }
}

import Foundation

/// A Gaussian-process regression model with a Matérn-5/2 kernel and one length scale per input
/// dimension (ARD), fitted by maximising the marginal likelihood (with weak priors that keep the
/// hyperparameters sensible on few points). Inputs live in [0, 1]^d; targets should be
/// standardised.
struct GaussianProcess {
    private let inputs: [[Double]]
    private let lengthScales: [Double]
    private let signalVariance: Double
    private let cholesky: Cholesky
    private let alpha: [Double]

    /// Hyperparameters as log values: length scales, then signal variance, then noise variance.
    private struct Bounds {
        static let logLength = (Foundation.log(0.01), Foundation.log(20.0))
        static let logSignal = (Foundation.log(0.05), Foundation.log(20.0))
        static let logNoise = (Foundation.log(1e-6), Foundation.log(0.5))
    }

    /// Fits the model; `nil` when the kernel matrix cannot be factored.
    static func fit(inputs: [[Double]], targets: [Double], random: inout SeededRandom) -> GaussianProcess? {
        guard let dimensions = inputs.first?.count, !inputs.isEmpty else { return nil }
        let lower = Array(repeating: Bounds.logLength.0, count: dimensions) + [Bounds.logSignal.0, Bounds.logNoise.0]
        let upper = Array(repeating: Bounds.logLength.1, count: dimensions) + [Bounds.logSignal.1, Bounds.logNoise.1]
        let defaultStart = Array(repeating: Foundation.log(0.5), count: dimensions) + [0, Foundation.log(1e-3)]
        let randomStart = lower.indices.map { lower[$0] + random.uniform() * (upper[$0] - lower[$0]) }
        let optimizer = BoundedLBFGS()
        var best: (point: [Double], value: Double)?
        for start in [defaultStart, randomStart] {
            let result = optimizer.minimize(from: start, lower: lower, upper: upper) { theta in
                negativeLogPosterior(theta, inputs: inputs, targets: targets)
            }
            if result.value.isFinite, result.value < (best?.value ?? .infinity) { best = result }
        }
        let theta = best?.point ?? defaultStart
        return GaussianProcess(inputs: inputs, targets: targets, theta: theta)
    }

    private init?(inputs: [[Double]], targets: [Double], theta: [Double]) {
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
        // Weak priors: length scales around 0.5, signal variance around 1, noise pulled down.
        for i in 0..<d {
            let z = (theta[i] - Foundation.log(0.5)) / 1.5
            value += 0.5 * z * z
            gradient[i] += z / 1.5
        }
        let zSignal = theta[d] / 1.5
        value += 0.5 * zSignal * zSignal
        gradient[d] += zSignal / 1.5
        value += 0.05 * (theta[d + 1] - Foundation.log(1e-6))
        gradient[d + 1] += 0.05
        return (value, gradient)
    }
}

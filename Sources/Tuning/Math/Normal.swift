import Foundation

/// The standard normal distribution: density, distribution function, quantiles, and the
/// truncated normal that Parzen estimators are built from. All in `Double`, stable in the tails.
enum Normal {
    static let logRootTwoPi = 0.5 * Foundation.log(2 * Double.pi)

    static func logDensity(_ z: Double) -> Double {
        -0.5 * z * z - logRootTwoPi
    }

    static func density(_ z: Double) -> Double {
        Foundation.exp(logDensity(z))
    }

    static func cdf(_ z: Double) -> Double {
        0.5 * Foundation.erfc(-z / 2.0.squareRoot())
    }

    /// log(Φ(b) − Φ(a)) for a < b, computed on the side of the tail that keeps precision.
    static func logProbability(from a: Double, to b: Double) -> Double {
        let mass: Double
        if a >= 0 {
            mass = 0.5 * (Foundation.erfc(a / 2.0.squareRoot()) - Foundation.erfc(b / 2.0.squareRoot()))
        } else if b <= 0 {
            mass = 0.5 * (Foundation.erfc(-b / 2.0.squareRoot()) - Foundation.erfc(-a / 2.0.squareRoot()))
        } else {
            mass = 1 - cdf(a) - 0.5 * Foundation.erfc(b / 2.0.squareRoot())
        }
        return Foundation.log(max(mass, 1e-300))
    }

    /// Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation refined by one Halley step
    /// (relative error around 1e-15).
    static func quantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * Foundation.log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * Foundation.log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let error = cdf(x) - p
        let u = error * (2 * Double.pi).squareRoot() * Foundation.exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }

    /// A draw from N(mean, sigma²) restricted to [low, high], by inverting the distribution
    /// function at `u` in [0, 1) (on the lower tail's side, for precision).
    static func truncatedSample(mean: Double, sigma: Double, low: Double, high: Double, u: Double) -> Double {
        let a = (low - mean) / sigma, b = (high - mean) / sigma
        let z: Double
        if a > 0 {
            // Mirror into the lower tail: −z is N(0,1) truncated to [−b, −a].
            let pa = cdf(-b), pb = cdf(-a)
            z = -quantile(pa + u * (pb - pa))
        } else {
            let pa = cdf(a), pb = cdf(b)
            z = quantile(pa + u * (pb - pa))
        }
        let x = mean + sigma * (z.isFinite ? z : (a > 0 ? a : b))
        return min(max(x, low), high)
    }

    /// log of the truncated normal's density at x (continuous) or of its mass on `bin`.
    static func truncatedLogDensity(
        _ x: Double, mean: Double, sigma: Double, low: Double, high: Double, bin: ClosedRange<Double>?
    ) -> Double {
        let normaliser = logProbability(from: (low - mean) / sigma, to: (high - mean) / sigma)
        if let bin {
            return logProbability(from: (bin.lowerBound - mean) / sigma, to: (bin.upperBound - mean) / sigma) - normaliser
        }
        return logDensity((x - mean) / sigma) - Foundation.log(sigma) - normaliser
    }

    /// log(Σ exp(values)) without overflow.
    static func logSumExp(_ values: [Double]) -> Double {
        guard let maximum = values.max(), maximum > -.infinity else { return -.infinity }
        return maximum + Foundation.log(values.reduce(0) { $0 + Foundation.exp($1 - maximum) })
    }
}

extension Normal {
    /// log of the expected improvement of N(mean, σ²) below `best`, in units where
    /// EI = σ·h(z), z = (best − mean)/σ, h(z) = φ(z) + zΦ(z). Accurate far into the tail, where
    /// EI itself underflows (so an acquisition optimiser still sees which way is better).
    static func logExpectedImprovement(mean: Double, sigma: Double, best: Double) -> Double {
        let z = (best - mean) / sigma
        return Foundation.log(sigma) + logH(z)
    }

    /// d/dz log h(z) = Φ(z)/h(z), with the same switch to the asymptotic series as `logH`.
    static func logHSlope(_ z: Double) -> Double {
        if z > -25 {
            return Foundation.exp(Foundation.log(max(cdf(z), 1e-300)) - logH(z))
        }
        // Φ(z) = φ(z)/|z| · (1 − 1/z² + 3/z⁴ − 15/z⁶ …), h as in `logH`.
        let inverseSquare = 1 / (z * z)
        let cdfSeries = 1 - inverseSquare * (1 - inverseSquare * (3 - inverseSquare * 15))
        let hSeries = 1 - inverseSquare * (3 - inverseSquare * (15 - inverseSquare * (105 - inverseSquare * 945)))
        return -z * cdfSeries / hSeries
    }

    /// log(φ(z) + zΦ(z)). The direct form loses only about log10(z²) digits to cancellation, so
    /// it serves down to z = −25; below, the asymptotic series is exact to double precision.
    static func logH(_ z: Double) -> Double {
        if z > -25 {
            return Foundation.log(max(density(z) + z * cdf(z), 1e-300))
        }
        // h(z) = φ(z)/z² · (1 − 3/z² + 15/z⁴ − 105/z⁶ + 945/z⁸ …) for z → −∞.
        let inverseSquare = 1 / (z * z)
        let series = 1 - inverseSquare * (3 - inverseSquare * (15 - inverseSquare * (105 - inverseSquare * 945)))
        return logDensity(z) + Foundation.log(inverseSquare) + Foundation.log(series)
    }
}

import Foundation

/// The activation functions and their derivatives for one Float, as the CPU loops use them.
/// `Kernels/elementwise.cl` computes the same formulas on OpenCL devices.
enum ScalarMath {
    /// `1 / (1 + e^-x)`, computed from `e^-|x|` so that it never overflows.
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        let e = Foundation.exp(-Swift.abs(x))
        return x >= 0 ? 1 / (1 + e) : e / (1 + e)
    }

    /// `tanh(x)` from one `e^-2|x|`, about twice as fast as glibc's `tanhf` (which goes through
    /// `expm1f`), within 5 ulp (3e-7 relative) of the exact value: below |x| = 0.25, where
    /// `(1 − e)/(1 + e)` would lose digits, the Taylor series to x⁹ (its next term is under 1e-8
    /// of the result).
    @inline(__always)
    static func tanh(_ x: Float) -> Float {
        let a = Swift.abs(x)
        let magnitude: Float
        if a < 0.25 {
            let s = a * a
            magnitude = a + a * s * (-1 / 3 + s * (2 / 15 + s * (-17 / 315 + s * (62 / 2835))))
        } else {
            let e = Foundation.exp(-2 * a)
            magnitude = (1 - e) / (1 + e)
        }
        return x < 0 ? -magnitude : magnitude
    }

    /// `x * Φ(x)` with the exact normal CDF.
    @inline(__always)
    static func gelu(_ x: Float) -> Float {
        0.5 * x * (1 + Foundation.erf(x * halfSquareRootTwo))
    }

    /// `Φ(x) + x * φ(x)`.
    @inline(__always)
    static func geluDerivative(_ x: Float) -> Float {
        0.5 * (1 + Foundation.erf(x * halfSquareRootTwo)) + x * Foundation.exp(-0.5 * x * x) * inverseSquareRootTwoPi
    }

    /// `1 / √2`.
    static let halfSquareRootTwo: Float = 0.707_106_781_186_547_5
    /// `1 / √(2π)`, the peak of the standard normal density.
    static let inverseSquareRootTwoPi: Float = 0.398_942_280_401_432_7
}

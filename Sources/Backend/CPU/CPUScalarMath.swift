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

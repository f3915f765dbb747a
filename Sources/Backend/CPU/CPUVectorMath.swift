/// `exp`, sigmoid and tanh on eight Floats at once, for loops that `ScalarMath`'s calls into libm
/// would keep scalar (the LSTM cell); within a few ulp of `ScalarMath`'s results. Also the
/// unaligned 8-lane loads and stores (whole or partial) that the CPU's SIMD loops share.
enum VectorMath {
    typealias Vector = SIMD8<Float>

    /// `e^x`: `x = n·ln 2 + r` with |r| ≤ ln 2 / 2, a degree-6 polynomial for `e^r` (Cephes'
    /// coefficients, about 1 ulp), times 2ⁿ built in the exponent bits. Inputs are clamped to
    /// ±87, so the result is finite and non-zero (the callers only add it to 1 or divide by it).
    @inline(__always)
    static func exp(_ x: Vector) -> Vector {
        // Comparisons rather than `clamped`, which compiles to calls of generic min and max.
        let clamped = x.replacing(with: -87, where: x .< -87).replacing(with: 87, where: x .> 87)
        // Adding 1.5·2²³ leaves n = round(x / ln 2) in the low mantissa bits (no Float-to-Int
        // conversion, which traps on NaN).
        let shifted = clamped * Float(1.442_695_04) + Float(12_582_912)
        let n = shifted - Float(12_582_912)
        let r = clamped - n * Float(0.693_359_375) + n * Float(2.121_944_4e-4)
        var p = Vector(repeating: 1.987_569_15e-4)
        p = p * r + Float(1.398_199_950_7e-3)
        p = p * r + Float(8.333_451_907_3e-3)
        p = p * r + Float(4.166_579_589_4e-2)
        p = p * r + Float(1.666_666_545_9e-1)
        p = p * r + Float(5.000_000_120_1e-1)
        p = p * r * r + r + Float(1)
        let exponent = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * unsafeBitCast(exponent, to: Vector.self)
    }

    /// `1 / (1 + e^-x)`, from `e^-|x|` as `ScalarMath.sigmoid`.
    @inline(__always)
    static func sigmoid(_ x: Vector) -> Vector {
        let e = exp(-abs(x))
        let positive = 1 / (1 + e)
        return positive.replacing(with: e * positive, where: x .< 0)
    }

    /// `tanh(x)` as `ScalarMath.tanh` computes it.
    @inline(__always)
    static func tanh(_ x: Vector) -> Vector {
        let a = abs(x)
        let s = a * a
        var series = Vector(repeating: 62 / 2835)
        series = series * s + Float(-17) / 315
        series = series * s + Float(2) / 15
        series = series * s + Float(-1) / 3
        series = a + a * s * series
        let e = exp(a * Float(-2))
        let magnitude = ((1 - e) / (1 + e)).replacing(with: series, where: a .< 0.25)
        return magnitude.replacing(with: -magnitude, where: x .< 0)
    }

    @inline(__always)
    private static func abs(_ x: Vector) -> Vector {
        x.replacing(with: -x, where: x .< 0)
    }

    /// The first `lanes` of the eight values at `pointer`, the other lanes 0 (no alignment needed).
    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>, lanes: Int = 8) -> Vector {
        if lanes == 8 { return UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self) }
        var value = Vector()
        for lane in 0..<lanes { value[lane] = pointer[lane] }
        return value
    }

    /// Writes the first `lanes` values of `value` at `pointer`.
    @inline(__always)
    static func store(_ value: Vector, _ pointer: UnsafeMutablePointer<Float>, lanes: Int = 8) {
        if lanes == 8 {
            UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Vector.self)
            return
        }
        for lane in 0..<lanes { pointer[lane] = value[lane] }
    }
}

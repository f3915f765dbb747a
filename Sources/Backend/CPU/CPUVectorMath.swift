/// The unaligned 8-lane loads and stores (whole or partial) that the CPU's SIMD loops share. (The
/// LSTM cell's vector exp, sigmoid and tanh are C, in `CLSTMKernels`.)
enum VectorMath {
    typealias Vector = SIMD8<Float>

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

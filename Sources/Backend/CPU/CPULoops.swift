/// The inner loops of the CPU elementwise ops. Each is inlined into a caller that passes a
/// closure literal, so the compiler specializes (and vectorizes) one loop per op.
enum CPULoops {
    /// `y[i] = f(x[i])`.
    @inline(__always)
    static func map(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int, _ f: (Float) -> Float
    ) {
        for i in 0..<count { y[i] = f(x[i]) }
    }

    /// `out[i] = f(a[i * strideA], b[i * strideB])`, with fast paths for strides 0 and 1.
    @inline(__always)
    static func combine(
        _ a: UnsafePointer<Float>, _ strideA: Int, _ b: UnsafePointer<Float>, _ strideB: Int,
        _ out: UnsafeMutablePointer<Float>, _ count: Int, _ f: (Float, Float) -> Float
    ) {
        switch (strideA, strideB) {
        case (1, 1):
            for i in 0..<count { out[i] = f(a[i], b[i]) }
        case (0, 1):
            let first = a[0]
            for i in 0..<count { out[i] = f(first, b[i]) }
        case (1, 0):
            let second = b[0]
            for i in 0..<count { out[i] = f(a[i], second) }
        default:
            for i in 0..<count { out[i] = f(a[i * strideA], b[i * strideB]) }
        }
    }
}

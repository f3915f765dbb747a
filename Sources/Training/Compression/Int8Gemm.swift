import Dispatch

/// The int8 matrix product of quantized inference on the host: `C = A · (Q · diag(scales))`
/// with A `[m, k]` in Float32 and Q `[k, n]` in int8. Each row of A is quantized symmetrically
/// to int8 on the fly (its own scale, `max |a| / 127`), products are summed exactly in Int32,
/// and each sum is scaled back by the row's and the column's scales. Two products at a time are
/// added in Int16 (|a·q| ≤ 127·127, so two fit) before widening: the form compilers turn into
/// 16-bit SIMD multiplies, several times faster than multiplying in Int32.
enum Int8Gemm {
    /// `c` (`m × n`, row-major) for `a` (`m × k`) and `q` (`k × n`) with one scale per column
    /// of q, or one for all (`scales.count == 1`). Rows are split over the cores.
    static func multiply(_ a: [Float], m: Int, k: Int, _ q: [Int8], n: Int, scales: [Float]) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        let rowsPerTask = max(1, (m + 15) / 16)
        let tasks = (m + rowsPerTask - 1) / rowsPerTask
        c.withUnsafeMutableBufferPointer { c in
            let output = UnsafeSendable(c)
            DispatchQueue.concurrentPerform(iterations: tasks) { task in
                let rows = (task * rowsPerTask)..<min(m, (task + 1) * rowsPerTask)
                a.withUnsafeBufferPointer { a in
                    q.withUnsafeBufferPointer { q in
                        scales.withUnsafeBufferPointer { scales in
                            multiplyRows(rows, a: a, k: k, q: q, n: n, scales: scales, into: output.buffer)
                        }
                    }
                }
            }
        }
        return c
    }

    private static func multiplyRows(
        _ rows: Range<Int>, a: UnsafeBufferPointer<Float>, k: Int, q: UnsafeBufferPointer<Int8>, n: Int,
        scales: UnsafeBufferPointer<Float>, into c: UnsafeMutableBufferPointer<Float>
    ) {
        guard let weights = q.baseAddress, k > 0, n > 0 else { return }
        let quantizedRow = UnsafeMutablePointer<Int16>.allocate(capacity: k)
        let sums = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        defer {
            quantizedRow.deallocate()
            sums.deallocate()
        }
        for row in rows {
            var largest: Float = 0
            var finite = true
            for index in 0..<k {
                let magnitude = abs(a[row * k + index])
                guard magnitude.isFinite else {
                    finite = false
                    break
                }
                largest = max(largest, magnitude)
            }
            guard finite, largest > 0 else {
                for column in 0..<n { c[row * n + column] = finite ? 0 : .nan }
                continue
            }
            let rowScale = largest / 127
            let inverse = 127 / largest
            // Rounds half away from zero (the conversion truncates) without a call to roundf.
            for index in 0..<k {
                let scaled = a[row * k + index] * inverse
                quantizedRow[index] = Int16(scaled + (scaled < 0 ? -0.5 : 0.5))
            }
            sums.initialize(repeating: 0, count: n)
            // Two rows of q per pass over the sums, their products added in Int16.
            var index = 0
            while index + 2 <= k {
                let (v0, v1) = (quantizedRow[index], quantizedRow[index + 1])
                let w0 = weights + index * n
                let w1 = w0 + n
                for column in 0..<n { sums[column] &+= Int32(v0 &* Int16(w0[column]) &+ v1 &* Int16(w1[column])) }
                index += 2
            }
            if index < k {
                let value = quantizedRow[index]
                let w = weights + index * n
                for column in 0..<n { sums[column] &+= Int32(value &* Int16(w[column])) }
            }
            for column in 0..<n {
                c[row * n + column] = Float(sums[column]) * rowScale * scales[scales.count == 1 ? 0 : column]
            }
        }
    }
}

/// A buffer the tasks of one `concurrentPerform` write to, each its own rows.
private struct UnsafeSendable: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Float>
    init(_ buffer: UnsafeMutableBufferPointer<Float>) { self.buffer = buffer }
}

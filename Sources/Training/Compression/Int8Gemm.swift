import Dispatch

/// The int8 matrix product of quantized inference on the host: `C = A · (Q · diag(scales))`
/// with A `[m, k]` in Float32 and Q `[k, n]` in int8. Each row of A is quantized symmetrically
/// to int8 on the fly (its own scale, `max |a| / 127`), products are summed exactly in Int32,
/// and each sum is scaled back by the row's and the column's scales.
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
        let quantizedRow = UnsafeMutablePointer<Int32>.allocate(capacity: k)
        let sums = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        defer {
            quantizedRow.deallocate()
            sums.deallocate()
        }
        for row in rows {
            var largest: Float = 0
            for index in 0..<k { largest = max(largest, abs(a[row * k + index])) }
            guard largest > 0, largest.isFinite else {
                for column in 0..<n { c[row * n + column] = largest.isFinite ? 0 : .nan }
                continue
            }
            let rowScale = largest / 127
            for index in 0..<k { quantizedRow[index] = Int32((a[row * k + index] / rowScale).rounded()) }
            sums.initialize(repeating: 0, count: n)
            // Four rows of q per pass over the sums: a quarter of the loads and stores of the sums.
            var index = 0
            while index + 4 <= k {
                let (v0, v1, v2, v3) = (quantizedRow[index], quantizedRow[index + 1], quantizedRow[index + 2], quantizedRow[index + 3])
                let w0 = weights + index * n
                let (w1, w2, w3) = (w0 + n, w0 + 2 * n, w0 + 3 * n)
                for column in 0..<n {
                    sums[column] &+= v0 &* Int32(w0[column]) &+ v1 &* Int32(w1[column]) &+ v2 &* Int32(w2[column]) &+ v3 &* Int32(w3[column])
                }
                index += 4
            }
            while index < k {
                let value = quantizedRow[index]
                let w = weights + index * n
                for column in 0..<n { sums[column] &+= value &* Int32(w[column]) }
                index += 1
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

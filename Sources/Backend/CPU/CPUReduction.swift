import Foundation

extension CPUDevice: ReductionOps {
    public func reduce(_ op: ReduceOp, _ x: Tensor, axis: Int?, into out: Tensor) throws {
        let split = try checkReduce(op, x, axis: axis, out: out)
        let source = try pointer(x, op: op.description)
        let target = try pointer(out, op: op.description)
        if split.inner == 1 {
            reduceContiguousRows(op, source, target, rows: split.outer, length: split.length)
        } else {
            reduceStridedRows(op, source, target, split)
        }
    }

    public func softmax(_ x: Tensor, axis: Int, log: Bool, into out: Tensor) throws {
        let op = log ? "logSoftmax" : "softmax"
        let split = try checkSoftmax(op: op, ["x": x, "out": out], axis: axis)
        let source = try pointer(x, op: op)
        let target = try pointer(out, op: op)
        let (length, inner) = (split.length, split.inner)
        parallelFor(split.outer * inner, grain: max(1, 4096 / max(length, 1))) { range in
            for row in range {
                let start = (row / inner) * length * inner + row % inner
                let x = source + start
                let y = target + start
                var maximum = -Float.infinity
                for l in 0..<length { maximum = Swift.max(maximum, x[l * inner]) }
                var total: Double = 0
                if log {
                    for l in 0..<length { total += Double(Self.shiftedExp(x[l * inner] - maximum)) }
                    let logTotal = Float(Foundation.log(total))
                    for l in 0..<length { y[l * inner] = (x[l * inner] - maximum) - logTotal }
                } else {
                    for l in 0..<length {
                        let e = Self.shiftedExp(x[l * inner] - maximum)
                        y[l * inner] = e
                        total += Double(e)
                    }
                    let scale = Float(1 / total)
                    for l in 0..<length { y[l * inner] *= scale }
                }
            }
        }
    }

    /// `e^d` for `d ≤ 0`, 0 below −104 without calling `exp`: there it is 0 in Float anyway (the
    /// smallest subnormal is e^−103.3), and libm's underflow path is slow; masked attention
    /// scores (−10³⁰) take it for every masked key.
    @inline(__always)
    private static func shiftedExp(_ d: Float) -> Float {
        d < -104 ? 0 : Foundation.exp(d)
    }

    public func softmaxBackward(output: Tensor, gradOutput: Tensor, axis: Int, log: Bool, into gradInput: Tensor) throws {
        let op = log ? "logSoftmax backward" : "softmax backward"
        let split = try checkSoftmax(
            op: op, ["output": output, "gradOutput": gradOutput, "gradInput": gradInput], axis: axis)
        let outputs = try pointer(output, op: op)
        let gradients = try pointer(gradOutput, op: op)
        let target = try pointer(gradInput, op: op)
        let (length, inner) = (split.length, split.inner)
        parallelFor(split.outer * inner, grain: max(1, 4096 / max(length, 1))) { range in
            for row in range {
                let start = (row / inner) * length * inner + row % inner
                let y = outputs + start
                let g = gradients + start
                let gx = target + start
                var dot: Double = 0
                if log {
                    for l in 0..<length { dot += Double(g[l * inner]) }
                    let total = Float(dot)
                    for l in 0..<length { gx[l * inner] = g[l * inner] - Foundation.exp(y[l * inner]) * total }
                } else {
                    for l in 0..<length { dot += Double(g[l * inner]) * Double(y[l * inner]) }
                    let total = Float(dot)
                    for l in 0..<length { gx[l * inner] = y[l * inner] * (g[l * inner] - total) }
                }
            }
        }
    }

    /// Rows of `length` adjacent values. Few long rows are cut into stretches reduced in parallel.
    private func reduceContiguousRows(
        _ op: ReduceOp, _ source: UnsafeMutablePointer<Float>, _ target: UnsafeMutablePointer<Float>,
        rows: Int, length: Int
    ) {
        let stretchLength = 1 << 16
        let stretches = rows >= threadCount ? 1 : min(threadCount, (length + stretchLength - 1) / stretchLength)
        if stretches <= 1 {
            parallelFor(rows, grain: max(1, stretchLength / max(length, 1))) { range in
                for row in range {
                    target[row] = ReductionPartial(op, source + row * length, count: length, offset: 0)
                        .value(op, length: length)
                }
            }
            return
        }
        let per = (length + stretches - 1) / stretches
        var partials = [ReductionPartial](repeating: ReductionPartial(), count: stretches)
        for row in 0..<rows {
            let rowStart = source + row * length
            partials.withUnsafeMutableBufferPointer { partials in
                parallelFor(stretches, grain: 1) { range in
                    for stretch in range {
                        let start = stretch * per
                        let count = Swift.max(0, Swift.min(per, length - start))
                        partials[stretch] = ReductionPartial(op, rowStart + start, count: count, offset: start)
                    }
                }
            }
            target[row] = partials.dropFirst().reduce(into: partials[0]) { $0.merge($1) }.value(op, length: length)
        }
    }

    /// Rows whose values lie `inner` apart: each task reduces a block of neighbouring columns,
    /// walking down the rows so that every load is contiguous.
    private func reduceStridedRows(
        _ op: ReduceOp, _ source: UnsafeMutablePointer<Float>, _ target: UnsafeMutablePointer<Float>, _ split: AxisSplit
    ) {
        let (length, inner) = (split.length, split.inner)
        let blockWidth = 512
        let blocksPerRow = (inner + blockWidth - 1) / blockWidth
        let scale = op == .mean ? 1 / Double(length) : 1
        parallelFor(split.outer * blocksPerRow, grain: max(1, 16_384 / max(length * blockWidth, 1))) { range in
            for task in range {
                let outer = task / blocksPerRow
                let firstColumn = (task % blocksPerRow) * blockWidth
                let width = Swift.min(blockWidth, inner - firstColumn)
                let base = source + outer * length * inner + firstColumn
                let destination = target + outer * inner + firstColumn
                switch op {
                case .sum, .mean:
                    Self.sumColumns(base, rows: length, stride: inner, width: width, scale: scale, into: destination)
                case .max, .argmax:
                    Self.maxColumns(base, rows: length, stride: inner, width: width, index: op == .argmax, into: destination)
                }
            }
        }
    }

    /// Column sums of a `rows × width` block, accumulated in Double.
    private static func sumColumns(
        _ base: UnsafeMutablePointer<Float>, rows: Int, stride: Int, width: Int, scale: Double,
        into destination: UnsafeMutablePointer<Float>
    ) {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: width) { totals in
            totals.initialize(repeating: 0)
            for row in 0..<rows {
                let values = base + row * stride
                for column in 0..<width { totals[column] += Double(values[column]) }
            }
            for column in 0..<width { destination[column] = Float(totals[column] * scale) }
        }
    }

    /// Column maxima (or the row index of the first maximum) of a `rows × width` block.
    private static func maxColumns(
        _ base: UnsafeMutablePointer<Float>, rows: Int, stride: Int, width: Int, index: Bool,
        into destination: UnsafeMutablePointer<Float>
    ) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: width) { best in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: width) { bestRow in
                best.initialize(repeating: -.infinity)
                bestRow.initialize(repeating: 0)
                for row in 0..<rows {
                    let values = base + row * stride
                    for column in 0..<width where values[column] > best[column] {
                        best[column] = values[column]
                        bestRow[column] = row
                    }
                }
                for column in 0..<width { destination[column] = index ? Float(bestRow[column]) : best[column] }
            }
        }
    }
}

/// What a stretch of adjacent values reduces to; stretches of one row merge left to right.
/// Sums accumulate in Double, so that even rows whose values cancel keep Float accuracy.
struct ReductionPartial {
    var sum: Double = 0
    var maximum = -Float.infinity
    /// Position of the first maximum within the row; -1 before any value is seen.
    var index = -1

    init() {}

    /// Reduces `count` values at `values`, which start at position `offset` of their row.
    init(_ op: ReduceOp, _ values: UnsafePointer<Float>, count: Int, offset: Int) {
        switch op {
        case .sum, .mean:
            sum = Self.simdSum(values, count: count)
        case .max:
            maximum = Self.simdMaximum(values, count: count)
            index = count > 0 ? offset : -1
        case .argmax:
            for i in 0..<count where index < 0 || values[i] > maximum {
                maximum = values[i]
                index = offset + i
            }
        }
    }

    /// Adds a stretch that comes after this one in the row; ties keep the earlier position.
    mutating func merge(_ later: ReductionPartial) {
        sum += later.sum
        if later.index >= 0, index < 0 || later.maximum > maximum {
            maximum = later.maximum
            index = later.index
        }
    }

    /// The op's result for a row of `length` values.
    func value(_ op: ReduceOp, length: Int) -> Float {
        switch op {
        case .sum: Float(sum)
        case .mean: Float(sum / Double(length))
        case .max: maximum
        case .argmax: Float(Swift.max(index, 0))
        }
    }

    /// Sums in eight Double lanes.
    private static func simdSum(_ values: UnsafePointer<Float>, count: Int) -> Double {
        var lanes = SIMD8<Double>()
        var i = 0
        while i + 8 <= count {
            lanes += SIMD8<Double>(UnsafeRawPointer(values + i).loadUnaligned(as: SIMD8<Float>.self))
            i += 8
        }
        var total = lanes.sum()
        while i < count {
            total += Double(values[i])
            i += 1
        }
        return total
    }

    private static func simdMaximum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD8<Float>(repeating: -.infinity)
        var i = 0
        while i + 8 <= count {
            let next = UnsafeRawPointer(values + i).loadUnaligned(as: SIMD8<Float>.self)
            lanes.replace(with: next, where: next .> lanes)
            i += 8
        }
        var best = lanes.max()
        while i < count {
            best = Swift.max(best, values[i])
            i += 1
        }
        return best
    }
}

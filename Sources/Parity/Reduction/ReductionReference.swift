import Backend
import Foundation

/// Reductions and softmax in Double, written independently of the backend.
public enum ReductionReference {
    /// `shape` without `axis` (a scalar's shape when `axis` is nil).
    public static func reducedShape(_ shape: [Int], axis: Int?) -> [Int] {
        layout(shape, axis).3
    }

    /// `op` over `axis` (all elements when nil).
    public static func reduce(_ op: ReduceOp, _ values: [Float], shape: [Int], axis: Int?) -> [Double] {
        let (outer, length, inner, _) = layout(shape, axis)
        guard !values.isEmpty else { return [] }
        var result: [Double] = []
        for o in 0..<outer {
            for i in 0..<inner {
                let row = (0..<length).map { Double(values[(o * length + $0) * inner + i]) }
                switch op {
                case .sum: result.append(row.reduce(0, +))
                case .mean: result.append(row.reduce(0, +) / Double(length))
                case .max: result.append(row.max() ?? -.infinity)
                case .argmax: result.append(Double(row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) } ?? 0))
                }
            }
        }
        return result
    }

    /// Softmax (or log-softmax) along `axis`.
    public static func softmax(_ values: [Float], shape: [Int], axis: Int, log: Bool) -> [Double] {
        let (outer, length, inner, _) = layout(shape, axis)
        var result = [Double](repeating: .nan, count: values.count)
        for o in 0..<outer {
            for i in 0..<inner {
                let positions = (0..<length).map { (o * length + $0) * inner + i }
                let maximum = positions.map { Double(values[$0]) }.max() ?? 0
                let total = positions.reduce(0.0) { $0 + Foundation.exp(Double(values[$1]) - maximum) }
                for p in positions {
                    let shifted = Double(values[p]) - maximum
                    result[p] = log ? shifted - Foundation.log(total) : Foundation.exp(shifted) / total
                }
            }
        }
        return result
    }

    /// The gradient of the loss with respect to the softmax input, from the softmax `output`
    /// and the upstream `gradients`.
    public static func softmaxBackward(_ output: [Float], _ gradients: [Float], shape: [Int], axis: Int, log: Bool) -> [Double] {
        let (outer, length, inner, _) = layout(shape, axis)
        var result = [Double](repeating: .nan, count: output.count)
        for o in 0..<outer {
            for i in 0..<inner {
                let positions = (0..<length).map { (o * length + $0) * inner + i }
                let dot = positions.reduce(0.0) { $0 + Double(gradients[$1]) * (log ? 1 : Double(output[$1])) }
                for p in positions {
                    let (y, g) = (Double(output[p]), Double(gradients[p]))
                    result[p] = log ? g - Foundation.exp(y) * dot : y * (g - dot)
                }
            }
        }
        return result
    }

    /// `[outer, length, inner]` around `axis` and the shape without it.
    private static func layout(_ shape: [Int], _ axis: Int?) -> (Int, Int, Int, [Int]) {
        guard let axis else { return (1, shape.reduce(1, *), 1, []) }
        let a = axis < 0 ? axis + shape.count : axis
        var remaining = shape
        remaining.remove(at: a)
        return (shape[..<a].reduce(1, *), shape[a], shape[(a + 1)...].reduce(1, *), remaining)
    }
}

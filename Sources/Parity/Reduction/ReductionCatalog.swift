import Backend

extension ParityCatalog {
    /// Every reduction, softmax and log-softmax, forward and backward.
    public static let reduction: [ParityCase] =
        ReduceOp.allCases.map(ReductionCatalog.reduce)
        + [false, true].map(ReductionCatalog.softmax) + [false, true].map(ReductionCatalog.softmaxBackward)
}

/// The reduction and softmax cases: shapes, axes, value ranges and seeds.
enum ReductionCatalog {
    static let family = "reduction"
    static let tolerance = 1e-4
    /// Shapes and axes covering rows of length 1, size-1 dimensions, odd sizes, strided rows,
    /// many outputs, and long rows that the devices split over threads or work-groups.
    static let reductionCases: [([Int], Int?)] = [
        ([1], nil), ([1], 0), ([7], nil), ([7], 0), ([3, 1, 5], 0), ([3, 1, 5], 1), ([3, 1, 5], 2), ([3, 1, 5], -1),
        ([3, 1, 5], nil), ([513, 1], 0), ([513, 1], 1), ([1, 257], 0), ([1, 257], 1), ([2, 50, 600], 1),
        ([37, 1100], 0), ([300, 70], 1), ([100_003, 3], 0), ([3, 100_003], 1), ([1_000_003], nil), ([1_000_003], 0),
    ]
    static let softmaxCases: [([Int], Int)] = [
        ([1], 0), ([7], 0), ([3, 1, 5], 0), ([3, 1, 5], 1), ([3, 1, 5], 2), ([513, 1], 1), ([513, 1], 0), ([1, 257], 1),
        ([1000, 10], -1), ([300, 70], 1), ([2, 50, 600], 1), ([3, 100_003], 1),
    ]
    static let ranges: [ClosedRange<Float>] = [-1...1, -1e3...1e3]

    /// Argmax must find exactly the reference's index; the others are within `tolerance`.
    static func reduce(_ op: ReduceOp) -> ParityCase {
        let checks = reductionCases.enumerated().flatMap { index, shapeAndAxis in
            let (shape, axis) = shapeAndAxis
            return ranges.map { range in
                ParityCheck(shape: shape, variant: "along \(axis.map(String.init) ?? "all") in \(range)") {
                    let values = cachedRandomValues(Tensor.elementCount(shape), in: range, seed: UInt64(index))
                    return ParityTrial(
                        run: { device in
                            let out = try poisonedTensor(ReductionReference.reducedShape(shape, axis: axis), on: device)
                            try device.reduce(op, Tensor(values, shape: shape, on: device), axis: axis, into: out)
                            return try out.toArray()
                        },
                        reference: { ReductionReference.reduce(op, values, shape: shape, axis: axis) })
                }
            }
        }
        return ParityCase(family: family, op: "reduce \(op)", tolerance: op == .argmax ? 0 : tolerance, checks: checks)
    }

    static func softmax(log: Bool) -> ParityCase {
        let checks = softmaxCases.enumerated().flatMap { index, shapeAndAxis in
            let (shape, axis) = shapeAndAxis
            return [Float(-5)...5, -1e3...1e3].map { range in
                ParityCheck(shape: shape, variant: "along \(axis) in \(range)") {
                    let values = cachedRandomValues(Tensor.elementCount(shape), in: range, seed: UInt64(index))
                    return ParityTrial(
                        run: { device in
                            let out = try poisonedTensor(shape, on: device)
                            try device.softmax(Tensor(values, shape: shape, on: device), axis: axis, log: log, into: out)
                            return try out.toArray()
                        },
                        reference: { ReductionReference.softmax(values, shape: shape, axis: axis, log: log) })
                }
            }
        }
        return ParityCase(family: family, op: log ? "logSoftmax" : "softmax", tolerance: tolerance, checks: checks)
    }

    /// The backward pass from the reference's softmax of logits in [-5, 5].
    static func softmaxBackward(log: Bool) -> ParityCase {
        let checks = softmaxCases.enumerated().map { index, shapeAndAxis in
            let (shape, axis) = shapeAndAxis
            return ParityCheck(shape: shape, variant: "along \(axis)") {
                let count = Tensor.elementCount(shape)
                let logits = cachedRandomValues(count, in: -5...5, seed: UInt64(index))
                let output = ReductionReference.softmax(logits, shape: shape, axis: axis, log: log).map(Float.init)
                let gradients = cachedRandomValues(count, seed: UInt64(index) + 100)
                return ParityTrial(
                    run: { device in
                        let gradInput = try poisonedTensor(shape, on: device)
                        try device.softmaxBackward(
                            output: Tensor(output, shape: shape, on: device),
                            gradOutput: Tensor(gradients, shape: shape, on: device), axis: axis, log: log, into: gradInput)
                        return try gradInput.toArray()
                    },
                    reference: { ReductionReference.softmaxBackward(output, gradients, shape: shape, axis: axis, log: log) })
            }
        }
        return ParityCase(family: family, op: log ? "logSoftmaxBackward" : "softmaxBackward", tolerance: tolerance, checks: checks)
    }
}

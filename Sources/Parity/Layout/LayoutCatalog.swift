import Backend

extension ParityCatalog {
    /// Permutations of axes.
    public static let layout: [ParityCase] = [LayoutCatalog.permute]
}

/// The layout cases: permutations that merge, drop size-1 dimensions, keep the innermost
/// dimension (the attention heads' split and join) or move it (a transpose).
enum LayoutCatalog {
    static let family = "layout"
    static let cases: [([Int], [Int])] = [
        ([7], [0]), ([3, 5], [1, 0]), ([3, 1, 5], [2, 1, 0]), ([2, 3, 4], [0, 1, 2]), ([2, 3, 4], [1, 0, 2]),
        ([2, 5, 3, 4, 6], [2, 0, 3, 1, 4]), ([2, 4, 5, 6], [0, 2, 1, 3]), ([65, 33], [1, 0]), ([1, 1], [1, 0]),
        ([2, 3, 2, 3, 2, 3, 2, 3], [7, 6, 5, 4, 3, 2, 1, 0]), ([129, 3, 67], [2, 0, 1]),
    ]

    static let permute = ParityCase(family: family, op: "permute", tolerance: 0, checks: cases.enumerated().map { index, item in
        let (shape, axes) = item
        return ParityCheck(shape: shape, variant: "axes \(axes)") {
            let values = cachedRandomValues(Tensor.elementCount(shape), seed: UInt64(index))
            return ParityTrial(
                run: { device in
                    let out = try poisonedTensor(axes.map { shape[$0] }, on: device)
                    try device.permute(Tensor(values, shape: shape, on: device), axes: axes, into: out)
                    return try out.toArray()
                },
                reference: { permuteReference(values, shape: shape, axes: axes) })
        }
    })

    /// Output element by output element: its position, mapped back to the source position.
    static func permuteReference(_ values: [Float], shape: [Int], axes: [Int]) -> [Double] {
        let outputShape = axes.map { shape[$0] }
        var sourceStrides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { sourceStrides[axis] = sourceStrides[axis + 1] * shape[axis + 1] }
        return (0..<values.count).map { index in
            var rest = index
            var source = 0
            for position in stride(from: outputShape.count - 1, through: 0, by: -1) {
                source += (rest % outputShape[position]) * sourceStrides[axes[position]]
                rest /= outputShape[position]
            }
            return Double(values[source])
        }
    }
}

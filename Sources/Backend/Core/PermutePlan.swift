/// A permutation of axes reduced to its simplest form: size-1 dimensions dropped and axes that
/// stay neighbours merged. Output element at position `(i_0, ..., i_{r-1})` of the merged output
/// `dims` comes from the source element `Σ i_d · sourceStrides[d]`.
struct PermutePlan: Equatable {
    /// The merged output sizes, outermost first (at least one; `[1]` for a single value).
    let dims: [Int]
    /// The source's element stride along each merged output dimension.
    let sourceStrides: [Int]

    /// The most merged dimensions a device supports.
    static let maxRank = 8

    /// The plan for permuting `shape` by `axes`.
    init(shape: [Int], axes: [Int]) throws {
        _ = try Tensor.permutedShape(shape, axes: axes)
        var sourceStride = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { sourceStride[axis] = sourceStride[axis + 1] * shape[axis + 1] }
        var dims: [Int] = []
        var strides: [Int] = []
        var previousAxis = -2
        for axis in axes where shape[axis] != 1 {
            // An axis that follows the previous one in the source too continues its dimension.
            if axis == previousAxis + 1, let last = dims.last {
                dims[dims.count - 1] = last * shape[axis]
                strides[strides.count - 1] = sourceStride[axis]
            } else {
                dims.append(shape[axis])
                strides.append(sourceStride[axis])
            }
            previousAxis = axis
        }
        guard dims.count <= Self.maxRank else {
            throw BackendError.invalidArgument(
                op: "permute", detail: "permuting \(shape) by \(axes) leaves \(dims.count) dimensions; at most \(Self.maxRank) are supported")
        }
        self.dims = dims.isEmpty ? [1] : dims
        self.sourceStrides = strides.isEmpty ? [1] : strides
    }
}

extension DeviceCore {
    /// Checks a permute's tensors and returns its plan.
    func checkPermute(_ x: Tensor, axes: [Int], out: Tensor) throws -> PermutePlan {
        try checkOwnership(of: [x, out], op: "permute")
        let plan = try PermutePlan(shape: x.shape, axes: axes)
        let expected = try Tensor.permutedShape(x.shape, axes: axes)
        guard out.count == Tensor.elementCount(expected) else {
            throw BackendError.shapeMismatch(op: "permute", detail: "output has shape \(out.shape), permuting \(x.shape) by \(axes) gives \(expected)")
        }
        guard out.buffer !== x.buffer || x.count <= 1 else {
            throw BackendError.invalidArgument(op: "permute", detail: "the output must not share memory with the input")
        }
        return plan
    }
}

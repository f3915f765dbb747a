/// Ops that rearrange a tensor's values without computing anything.
public protocol LayoutOps {
    /// `out` holds `x` with its axes reordered, as NumPy's `transpose(x, axes)`: output axis `i`
    /// is x's axis `axes[i]`, so `out.shape == axes.map { x.shape[$0] }`. `axes` is a permutation
    /// of `0..<x.rank`; at most 8 dimensions remain after size-1 dimensions are dropped and
    /// neighbours that stay neighbours are merged. `out` must not be `x`.
    func permute(_ x: Tensor, axes: [Int], into out: Tensor) throws
}

extension Tensor {
    /// This tensor with its axes reordered (see `LayoutOps.permute`), in a new tensor.
    public func permuted(_ axes: [Int]) throws -> Tensor {
        let result = try Tensor(uninitializedShape: try Self.permutedShape(shape, axes: axes), on: device)
        try device.permute(self, axes: axes, into: result)
        return result
    }

    /// The shape permuting `shape` by `axes` gives; throws unless `axes` is a permutation of its axes.
    public static func permutedShape(_ shape: [Int], axes: [Int]) throws -> [Int] {
        guard axes.count == shape.count, Set(axes) == Set(0..<shape.count) else {
            throw BackendError.invalidArgument(op: "permute", detail: "axes \(axes) are not a permutation of the \(shape.count) axes of \(shape)")
        }
        return axes.map { shape[$0] }
    }
}

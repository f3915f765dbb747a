/// Shape and device checks shared by every device's reductions and softmax.
extension DeviceCore {
    /// Checks a reduction and returns how `x` splits around the reduced axis.
    func checkReduce(_ op: ReduceOp, _ x: Tensor, axis: Int?, out: Tensor) throws -> AxisSplit {
        try checkOwnership(of: [x, out], op: op.description)
        let split = try AxisSplit(shape: x.shape, axis: axis, op: op.description)
        let outputs = split.outer * split.inner
        guard out.count == outputs else {
            let what = axis.map { "reducing \(x.shape) along axis \($0)" } ?? "reducing all of \(x.shape)"
            throw BackendError.shapeMismatch(
                op: op.description, detail: "output has shape \(out.shape), but \(what) gives \(outputs) values")
        }
        if split.length == 0, outputs > 0, op != .sum {
            throw BackendError.invalidArgument(
                op: op.description, detail: "cannot reduce an empty axis (x has shape \(x.shape))")
        }
        return split
    }

    /// Checks a softmax-shaped op (all tensors with x's element count) and returns the split.
    func checkSoftmax(op: String, _ tensors: KeyValuePairs<String, Tensor>, axis: Int) throws -> AxisSplit {
        try checkSameCount(op: op, tensors)
        return try AxisSplit(shape: tensors.first?.value.shape ?? [], axis: axis, op: op)
    }
}

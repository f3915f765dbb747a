/// Reductions and softmax that allocate their output on the tensor's device.
///
/// A reduction along `axis` drops that dimension; over all elements (`axis: nil`) it gives a
/// scalar of shape `[]`. Negative axes count from the end.
extension Tensor {
    /// `op` along `axis`, or over all elements when nil.
    public func reduced(_ op: ReduceOp, axis: Int?) throws -> Tensor {
        var resultShape: [Int] = []
        if let axis {
            resultShape = shape
            resultShape.remove(at: try AxisSplit.resolve(axis: axis, shape: shape, op: op.description))
        }
        let result = try Tensor(uninitializedShape: resultShape, on: device)
        try device.reduce(op, self, axis: axis, into: result)
        return result
    }

    /// The sum along `axis`, or of all elements.
    public func sum(axis: Int? = nil) throws -> Tensor { try reduced(.sum, axis: axis) }
    /// The mean along `axis`, or of all elements.
    public func mean(axis: Int? = nil) throws -> Tensor { try reduced(.mean, axis: axis) }
    /// The maximum along `axis`, or of all elements.
    public func max(axis: Int? = nil) throws -> Tensor { try reduced(.max, axis: axis) }
    /// The position of the first maximum along `axis` (or in the flattened tensor), as Floats.
    public func argmax(axis: Int? = nil) throws -> Tensor { try reduced(.argmax, axis: axis) }

    /// Softmax along `axis` (the last by default).
    public func softmax(axis: Int = -1) throws -> Tensor { try softmaxed(axis: axis, log: false) }
    /// Log-softmax along `axis` (the last by default).
    public func logSoftmax(axis: Int = -1) throws -> Tensor { try softmaxed(axis: axis, log: true) }

    private func softmaxed(axis: Int, log: Bool) throws -> Tensor {
        let result = try Tensor(uninitializedShape: shape, on: device)
        try device.softmax(self, axis: axis, log: log, into: result)
        return result
    }
}

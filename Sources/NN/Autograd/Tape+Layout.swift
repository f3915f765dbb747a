import Backend

extension Tape {
    /// `x` with its axes reordered (NumPy's `transpose(x, axes)`, batch axis included); the
    /// gradient is permuted back.
    public func permute(_ x: Variable, axes: [Int]) throws -> Variable {
        let device = x.device
        let result = try output(Tensor.permutedShape(x.shape, axes: axes), on: device)
        try device.permute(x.value, axes: axes, into: result)
        return record(result, inputs: [x]) { gradient in
            var inverse = [Int](repeating: 0, count: axes.count)
            for (position, axis) in axes.enumerated() { inverse[axis] = position }
            let input = try output(x.shape, on: device)
            try device.permute(gradient, axes: inverse, into: input)
            try x.accumulate(input, owned: true)
        }
    }

    /// The positions `range` of `x` along `axis` (batch axis included), as a copy; the gradient
    /// goes back into those positions (zeros elsewhere).
    public func slice(_ x: Variable, axis: Int, range: Range<Int>) throws -> Variable {
        guard axis >= 0, axis < x.shape.count, range.lowerBound >= 0, range.upperBound <= x.shape[axis], !range.isEmpty else {
            throw BackendError.invalidArgument(op: "slice", detail: "positions \(range) along axis \(axis) of a tensor of shape \(x.shape)")
        }
        let device = x.device
        var shape = x.shape
        shape[axis] = range.count
        let blocks = Tensor.elementCount(Array(x.shape[..<axis]))
        let inner = Tensor.elementCount(Array(x.shape[(axis + 1)...]))
        let (rowLength, length, offset) = (x.shape[axis] * inner, range.count * inner, range.lowerBound * inner)
        let result = try output(shape, on: device)
        try device.copyBlocks(
            x.value.buffer, offset: offset, stride: rowLength, to: result.buffer, offset: 0, stride: length, length: length, blocks: blocks)
        return record(result, inputs: [x]) { gradient in
            let input = try Tensor(repeating: 0, shape: x.shape, on: device)
            try device.copyBlocks(
                gradient.buffer, offset: 0, stride: length, to: input.buffer, offset: offset, stride: rowLength, length: length,
                blocks: blocks)
            try x.accumulate(input, owned: true)
        }
    }
}

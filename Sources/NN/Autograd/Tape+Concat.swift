import Backend

extension Tape {
    /// `parts` joined along `axis` (counted in the full shape, batch dimension 0 included; every
    /// other dimension must agree): channels of images at axis 1, features of vectors at axis 1.
    public func concat(_ parts: [Variable], axis: Int) throws -> Variable {
        guard let first = parts.first else {
            throw BackendError.invalidArgument(op: "concat", detail: "needs at least one input")
        }
        guard axis >= 0, axis < first.shape.count else {
            throw BackendError.invalidArgument(op: "concat", detail: "axis \(axis) is outside a shape of \(first.shape.count) dimensions")
        }
        let outer = Array(first.shape[..<axis]), inner = Array(first.shape[(axis + 1)...])
        for part in parts where part.shape.count != first.shape.count || Array(part.shape[..<axis]) != outer
            || Array(part.shape[(axis + 1)...]) != inner {
            throw BackendError.shapeMismatch(
                op: "concat", detail: "\(parts.map(\.shape)) differ outside axis \(axis)")
        }
        let device = first.device
        var shape = first.shape
        shape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        let result = try output(shape, on: device)
        let blocks = Tensor.elementCount(outer)
        let rowLength = Tensor.elementCount(Array(shape[axis...]))
        // Each part fills `length` values of every row of the result, from `offset` on.
        var placements: [(part: Variable, offset: Int, length: Int)] = []
        var offset = 0
        for part in parts {
            let length = Tensor.elementCount(Array(part.shape[axis...]))
            try device.copyBlocks(
                part.value.buffer, offset: 0, stride: length, to: result.buffer, offset: offset, stride: rowLength,
                length: length, blocks: blocks)
            placements.append((part, offset, length))
            offset += length
        }
        return record(result, inputs: parts) { gradient in
            for (part, offset, length) in placements where part.requiresGrad {
                let slice = try output(part.shape, on: device)
                try device.copyBlocks(
                    gradient.buffer, offset: offset, stride: rowLength, to: slice.buffer, offset: 0, stride: length,
                    length: length, blocks: blocks)
                try part.accumulate(slice, owned: true)
            }
        }
    }
}

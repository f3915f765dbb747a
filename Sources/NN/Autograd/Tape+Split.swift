import Backend

extension Tape {
    /// `x` cut along `axis` into consecutive parts of `sizes` (which must sum to the axis's
    /// length), the inverse of `concat`: one copy per part forward, and one tensor for the
    /// gradient backward (zeros where a part got no gradient).
    public func split(_ x: Variable, axis: Int, sizes: [Int]) throws -> [Variable] {
        guard axis >= 0, axis < x.shape.count else {
            throw BackendError.invalidArgument(op: "split", detail: "axis \(axis) is outside a shape of \(x.shape.count) dimensions")
        }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }), sizes.reduce(0, +) == x.shape[axis] else {
            throw BackendError.shapeMismatch(op: "split", detail: "parts of \(sizes) do not cut axis \(axis) of \(x.shape)")
        }
        let device = x.device
        let blocks = Tensor.elementCount(Array(x.shape[..<axis]))
        let inner = Tensor.elementCount(Array(x.shape[(axis + 1)...]))
        let rowLength = x.shape[axis] * inner
        var placements: [(offset: Int, length: Int)] = []
        var parts: [Tensor] = []
        var offset = 0
        for size in sizes {
            var shape = x.shape
            shape[axis] = size
            let part = try output(shape, on: device)
            let length = size * inner
            try device.copyBlocks(
                x.value.buffer, offset: offset, stride: rowLength, to: part.buffer, offset: 0, stride: length, length: length,
                blocks: blocks)
            placements.append((offset, length))
            parts.append(part)
            offset += length
        }
        let shape = x.shape
        return record(parts, inputs: [x]) { gradients in
            let joined = try output(shape, on: device)
            if gradients.contains(where: { $0 == nil }) { try device.fill(joined, value: 0) }
            for (gradient, placement) in zip(gradients, placements) {
                guard let gradient else { continue }
                try device.copyBlocks(
                    gradient.buffer, offset: 0, stride: placement.length, to: joined.buffer, offset: placement.offset,
                    stride: rowLength, length: placement.length, blocks: blocks)
            }
            try x.accumulate(joined, owned: true)
        }
    }
}

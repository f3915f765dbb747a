extension CPUDevice: LayoutOps {
    public func permute(_ x: Tensor, axes: [Int], into out: Tensor) throws {
        let plan = try checkPermute(x, axes: axes, out: out)
        let source = try pointer(x, op: "permute")
        let target = try pointer(out, op: "permute")
        let rank = plan.dims.count
        let rowLength = plan.dims[rank - 1]
        let rowStride = plan.sourceStrides[rank - 1]
        let rows = out.count / max(rowLength, 1)
        let (dims, strides) = (plan.dims, plan.sourceStrides)
        // One output row (the innermost merged dimension) at a time: a strided gather. The rows'
        // source offsets come from an odometer over the outer dimensions, set once per chunk
        // with divisions and then advanced a row at a time (rows are often short: a head's
        // features).
        parallelFor(rows, grain: max(1, 16_384 / max(rowLength, 1))) { range in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: rank) { index in
                var rest = range.lowerBound
                var offset = 0
                for dimension in stride(from: rank - 2, through: 0, by: -1) {
                    index[dimension] = rest % dims[dimension]
                    offset += index[dimension] * strides[dimension]
                    rest /= dims[dimension]
                }
                for row in range {
                    let from = source + offset
                    let to = target + row * rowLength
                    if rowStride == 1 {
                        to.update(from: from, count: rowLength)
                    } else {
                        for i in 0..<rowLength { to[i] = from[i * rowStride] }
                    }
                    var dimension = rank - 2
                    while dimension >= 0 {
                        index[dimension] += 1
                        offset += strides[dimension]
                        if index[dimension] < dims[dimension] { break }
                        offset -= dims[dimension] * strides[dimension]
                        index[dimension] = 0
                        dimension -= 1
                    }
                }
            }
        }
    }
}

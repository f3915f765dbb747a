extension CPUDevice: LayoutOps {
    public func permute(_ x: Tensor, axes: [Int], into out: Tensor) throws {
        let plan = try checkPermute(x, axes: axes, out: out)
        let source = try pointer(x, op: "permute")
        let target = try pointer(out, op: "permute")
        let rank = plan.dims.count
        let rowLength = plan.dims[rank - 1]
        let rowStride = plan.sourceStrides[rank - 1]
        let rows = out.count / max(rowLength, 1)
        // One output row (the innermost merged dimension) at a time: a strided gather.
        parallelFor(rows, grain: max(1, 16_384 / max(rowLength, 1))) { range in
            for row in range {
                var rest = row
                var offset = 0
                for dimension in stride(from: rank - 2, through: 0, by: -1) {
                    offset += (rest % plan.dims[dimension]) * plan.sourceStrides[dimension]
                    rest /= plan.dims[dimension]
                }
                let from = source + offset
                let to = target + row * rowLength
                if rowStride == 1 {
                    to.update(from: from, count: rowLength)
                } else {
                    for i in 0..<rowLength { to[i] = from[i * rowStride] }
                }
            }
        }
    }
}

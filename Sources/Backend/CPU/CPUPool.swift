extension CPUDevice: PoolOps {
    public func maxPool2d(_ input: Tensor, _ descriptor: Pool2DDescriptor, into output: Tensor, indices: Tensor?) throws {
        let op = "maxPool2d"
        let plan = try descriptor.plan(for: input.shape, op: op)
        try plan.check(op, on: self, input: input, output: output, indices: indices)
        let x = try pointer(input, op: op)
        let y = try pointer(output, op: op)
        let argmax = try indices.map { try pointer($0, op: op) }
        let halving = descriptor == Pool2DDescriptor(kernel: 2)
        forEachPlane(plan) { plane in
            let source = x + plane * plan.planeSize
            let first = plane * plan.outputPlaneSize
            if halving {
                Self.maxPoolHalving(plan, source: source, output: y + first, argmax: argmax.map { $0 + first })
                return
            }
            for oh in 0..<plan.outputHeight {
                let rows = plan.windowRows(oh)
                for ow in 0..<plan.outputWidth {
                    let columns = plan.windowColumns(ow)
                    // Every window holds an input position (padding is at most half the kernel).
                    var bestIndex = rows.lowerBound * plan.width + columns.lowerBound
                    var best = source[bestIndex]
                    for h in rows {
                        for w in columns {
                            // Selects rather than a branch: random data mispredicts half the time.
                            let value = source[h * plan.width + w]
                            let better = value > best
                            best = better ? value : best
                            bestIndex = better ? h * plan.width + w : bestIndex
                        }
                    }
                    let o = first + oh * plan.outputWidth + ow
                    y[o] = best
                    argmax?[o] = Float(bestIndex)
                }
            }
        }
    }

    /// A scatter per plane: each output gradient is added to its argmax position in output order,
    /// which is the order a gather over covering windows would add them in.
    public func maxPool2dBackward(gradOutput: Tensor, indices: Tensor, _ descriptor: Pool2DDescriptor, into gradInput: Tensor) throws {
        let op = "maxPool2dBackward"
        let plan = try descriptor.plan(for: gradInput.shape, op: op)
        try plan.check(op, on: self, input: gradInput, output: gradOutput, indices: indices)
        let gy = try pointer(gradOutput, op: op)
        let argmax = try pointer(indices, op: op)
        let gx = try pointer(gradInput, op: op)
        forEachPlane(plan) { plane in
            let target = gx + plane * plan.planeSize
            target.update(repeating: 0, count: plan.planeSize)
            let first = plane * plan.outputPlaneSize
            for o in first..<first + plan.outputPlaneSize {
                let position = Int(exactly: argmax[o]) ?? -1
                if position >= 0, position < plan.planeSize { target[position] += gy[o] }
            }
        }
    }

    public func avgPool2d(_ input: Tensor, _ descriptor: Pool2DDescriptor, into output: Tensor) throws {
        let op = "avgPool2d"
        let plan = try descriptor.plan(for: input.shape, op: op)
        try plan.check(op, on: self, input: input, output: output, indices: nil)
        let x = try pointer(input, op: op)
        let y = try pointer(output, op: op)
        forEachPlane(plan) { plane in
            let source = x + plane * plan.planeSize
            let first = plane * plan.outputPlaneSize
            for oh in 0..<plan.outputHeight {
                let rows = plan.windowRows(oh)
                for ow in 0..<plan.outputWidth {
                    var sum: Float = 0
                    for h in rows {
                        for w in plan.windowColumns(ow) { sum += source[h * plan.width + w] }
                    }
                    y[first + oh * plan.outputWidth + ow] = sum / plan.divisor(oh, ow)
                }
            }
        }
    }

    public func avgPool2dBackward(gradOutput: Tensor, _ descriptor: Pool2DDescriptor, into gradInput: Tensor) throws {
        let op = "avgPool2dBackward"
        let plan = try descriptor.plan(for: gradInput.shape, op: op)
        try plan.check(op, on: self, input: gradInput, output: gradOutput, indices: nil)
        let gy = try pointer(gradOutput, op: op)
        let gx = try pointer(gradInput, op: op)
        let d = plan.descriptor
        forEachPlane(plan) { plane in
            let gradients = gy + plane * plan.outputPlaneSize
            let target = gx + plane * plan.planeSize
            for h in 0..<plan.height {
                let rows = plan.coveringWindows(
                    h, stride: d.strideHeight, padding: d.paddingHeight, kernel: d.kernelHeight, outputs: plan.outputHeight)
                for w in 0..<plan.width {
                    let columns = plan.coveringWindows(
                        w, stride: d.strideWidth, padding: d.paddingWidth, kernel: d.kernelWidth, outputs: plan.outputWidth)
                    var sum: Float = 0
                    if let rows, let columns {
                        for oh in rows {
                            for ow in columns { sum += gradients[oh * plan.outputWidth + ow] / plan.divisor(oh, ow) }
                        }
                    }
                    target[h * plan.width + w] = sum
                }
            }
        }
    }

    /// Max pooling of one plane with the most common window, 2×2 with stride 2 and no padding:
    /// eight outputs at a time from two 16-value loads per input row (even and odd lanes are the
    /// windows' left and right columns), then the rest one by one. The same results as the
    /// general loop: the first maximum in row order, a NaN first value kept.
    private static func maxPoolHalving(
        _ plan: PoolPlan, source: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
        argmax: UnsafeMutablePointer<Float>?
    ) {
        let width = plan.width
        let lanes = SIMD8<Float>(0, 2, 4, 6, 8, 10, 12, 14)
        for oh in 0..<plan.outputHeight {
            let corner: Int = 2 &* oh &* width
            let top = source + corner
            let bottom = top + width
            let row = oh &* plan.outputWidth
            var ow = 0
            while ow &+ 8 <= plan.outputWidth {
                let column: Int = 2 &* ow
                let upper = UnsafeRawPointer(top + column).loadUnaligned(as: SIMD16<Float>.self)
                let lower = UnsafeRawPointer(bottom + column).loadUnaligned(as: SIMD16<Float>.self)
                var best = upper.evenHalf
                var offset = SIMD8<Float>(repeating: 0)
                @inline(__always) func consider(_ candidate: SIMD8<Float>, _ position: Int) {
                    let better = candidate .> best
                    best.replace(with: candidate, where: better)
                    offset.replace(with: Float(position), where: better)
                }
                consider(upper.oddHalf, 1)
                consider(lower.evenHalf, width)
                consider(lower.oddHalf, width &+ 1)
                UnsafeMutableRawPointer(output + (row &+ ow)).storeBytes(of: best, as: SIMD8<Float>.self)
                if let argmax {
                    let indices = offset + lanes + Float(corner &+ column)
                    UnsafeMutableRawPointer(argmax + (row &+ ow)).storeBytes(of: indices, as: SIMD8<Float>.self)
                }
                ow &+= 8
            }
            while ow < plan.outputWidth {
                let topLeft = 2 &* oh &* width &+ 2 &* ow
                var bestIndex = topLeft
                var best = source[topLeft]
                @inline(__always) func consider(_ position: Int) {
                    let better = source[position] > best
                    best = better ? source[position] : best
                    bestIndex = better ? position : bestIndex
                }
                consider(topLeft &+ 1)
                consider(topLeft &+ width)
                consider(topLeft &+ width &+ 1)
                output[row &+ ow] = best
                argmax?[row &+ ow] = Float(bestIndex)
                ow &+= 1
            }
        }
    }

    /// Calls `body(plane)` for every input plane, planes spread over cores.
    private func forEachPlane(_ plan: PoolPlan, _ body: (Int) -> Void) {
        parallelFor(plan.planes, grain: max(1, 4096 / max(1, plan.planeSize))) { planes in
            for plane in planes { body(plane) }
        }
    }
}

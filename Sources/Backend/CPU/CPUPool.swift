extension CPUDevice: PoolOps {
    public func maxPool2d(_ input: Tensor, _ descriptor: Pool2DDescriptor, into output: Tensor, indices: Tensor?) throws {
        let op = "maxPool2d"
        let plan = try descriptor.plan(for: input.shape, op: op)
        try plan.check(op, on: self, input: input, output: output, indices: indices)
        let x = try pointer(input, op: op)
        let y = try pointer(output, op: op)
        let argmax = try indices.map { try pointer($0, op: op) }
        forEachOutput(plan) { plane, oh, ow, o in
            let source = x + plane * plan.height * plan.width
            var best = -Float.infinity
            var bestIndex = -1
            forEachWindowPosition(plan, oh, ow) { position in
                if bestIndex < 0 || source[position] > best {
                    best = source[position]
                    bestIndex = position
                }
            }
            y[o] = best
            argmax?[o] = Float(bestIndex)
        }
    }

    public func maxPool2dBackward(gradOutput: Tensor, indices: Tensor, _ descriptor: Pool2DDescriptor, into gradInput: Tensor) throws {
        let op = "maxPool2dBackward"
        let plan = try descriptor.plan(for: gradInput.shape, op: op)
        try plan.check(op, on: self, input: gradInput, output: gradOutput, indices: indices)
        let gy = try pointer(gradOutput, op: op)
        let argmax = try pointer(indices, op: op)
        let gx = try pointer(gradInput, op: op)
        forEachInput(plan) { plane, h, w, i in
            let position = Float(h * plan.width + w)
            var sum: Float = 0
            forEachCoveringWindow(plan, h, w) { oh, ow in
                let o = (plane * plan.outputHeight + oh) * plan.outputWidth + ow
                if argmax[o] == position { sum += gy[o] }
            }
            gx[i] = sum
        }
    }

    public func avgPool2d(_ input: Tensor, _ descriptor: Pool2DDescriptor, into output: Tensor) throws {
        let op = "avgPool2d"
        let plan = try descriptor.plan(for: input.shape, op: op)
        try plan.check(op, on: self, input: input, output: output, indices: nil)
        let x = try pointer(input, op: op)
        let y = try pointer(output, op: op)
        forEachOutput(plan) { plane, oh, ow, o in
            let source = x + plane * plan.height * plan.width
            var sum: Float = 0
            forEachWindowPosition(plan, oh, ow) { sum += source[$0] }
            y[o] = sum / plan.divisor(oh, ow)
        }
    }

    public func avgPool2dBackward(gradOutput: Tensor, _ descriptor: Pool2DDescriptor, into gradInput: Tensor) throws {
        let op = "avgPool2dBackward"
        let plan = try descriptor.plan(for: gradInput.shape, op: op)
        try plan.check(op, on: self, input: gradInput, output: gradOutput, indices: nil)
        let gy = try pointer(gradOutput, op: op)
        let gx = try pointer(gradInput, op: op)
        forEachInput(plan) { plane, h, w, i in
            var sum: Float = 0
            forEachCoveringWindow(plan, h, w) { oh, ow in
                sum += gy[(plane * plan.outputHeight + oh) * plan.outputWidth + ow] / plan.divisor(oh, ow)
            }
            gx[i] = sum
        }
    }

    /// Calls `body(plane, oh, ow, outputIndex)` for every output element, planes spread over cores.
    private func forEachOutput(_ plan: PoolPlan, _ body: (Int, Int, Int, Int) -> Void) {
        let perPlane = plan.outputHeight * plan.outputWidth
        parallelFor(plan.planes, grain: max(1, 4096 / max(1, perPlane))) { planes in
            for plane in planes {
                for oh in 0..<plan.outputHeight {
                    for ow in 0..<plan.outputWidth {
                        body(plane, oh, ow, (plane * plan.outputHeight + oh) * plan.outputWidth + ow)
                    }
                }
            }
        }
    }

    /// Calls `body(plane, h, w, inputIndex)` for every input element, planes spread over cores.
    private func forEachInput(_ plan: PoolPlan, _ body: (Int, Int, Int, Int) -> Void) {
        let perPlane = plan.height * plan.width
        parallelFor(plan.planes, grain: max(1, 4096 / max(1, perPlane))) { planes in
            for plane in planes {
                for h in 0..<plan.height {
                    for w in 0..<plan.width {
                        body(plane, h, w, (plane * plan.height + h) * plan.width + w)
                    }
                }
            }
        }
    }

    /// Calls `body(h * W + w)` for the in-bounds positions of window (`oh`, `ow`), row-major.
    private func forEachWindowPosition(_ plan: PoolPlan, _ oh: Int, _ ow: Int, _ body: (Int) -> Void) {
        let d = plan.descriptor
        let top = oh * d.strideHeight - d.paddingHeight
        let left = ow * d.strideWidth - d.paddingWidth
        for h in max(top, 0)..<min(top + d.kernelHeight, plan.height) {
            for w in max(left, 0)..<min(left + d.kernelWidth, plan.width) {
                body(h * plan.width + w)
            }
        }
    }

    /// Calls `body(oh, ow)` for every window that holds input position (`h`, `w`).
    private func forEachCoveringWindow(_ plan: PoolPlan, _ h: Int, _ w: Int, _ body: (Int, Int) -> Void) {
        let d = plan.descriptor
        guard
            let rows = plan.coveringWindows(h, stride: d.strideHeight, padding: d.paddingHeight, kernel: d.kernelHeight, outputs: plan.outputHeight),
            let columns = plan.coveringWindows(w, stride: d.strideWidth, padding: d.paddingWidth, kernel: d.kernelWidth, outputs: plan.outputWidth)
        else { return }
        for oh in rows {
            for ow in columns { body(oh, ow) }
        }
    }
}

extension CPUDevice: OptimizerOps {
    public func sgdStep(parameter: Tensor, gradient: Tensor, velocity: Tensor?, _ h: SGDHyperparameters) throws {
        let state = try sgdVelocity(parameter: parameter, gradient: gradient, velocity: velocity, h)
        let p = try pointer(parameter, op: "sgdStep")
        let g = try pointer(gradient, op: "sgdStep")
        let lr = Float8(repeating: h.learningRate)
        let decay = Float8(repeating: h.weightDecay)
        let momentum = Float8(repeating: h.momentum)
        guard let state else {
            forEachVector(parameter.count) { i, lanes in
                let param = Float8.load(p, i, lanes)
                (param - lr * (Float8.load(g, i, lanes) + decay * param)).store(p, i, lanes)
            }
            return
        }
        let v = try pointer(state, op: "sgdStep")
        let nesterov = h.nesterov
        forEachVector(parameter.count) { i, lanes in
            let param = Float8.load(p, i, lanes)
            let grad = Float8.load(g, i, lanes) + decay * param
            let velocity = momentum * Float8.load(v, i, lanes) + grad
            let direction = nesterov ? grad + momentum * velocity : velocity
            velocity.store(v, i, lanes)
            (param - lr * direction).store(p, i, lanes)
        }
    }

    public func rmspropStep(parameter: Tensor, gradient: Tensor, squareAverage: Tensor, _ h: RMSpropHyperparameters) throws {
        try checkUpdate("rmspropStep", parameter: parameter, [("gradient", gradient), ("squareAverage", squareAverage)])
        let p = try pointer(parameter, op: "rmspropStep")
        let g = try pointer(gradient, op: "rmspropStep")
        let s = try pointer(squareAverage, op: "rmspropStep")
        let lr = Float8(repeating: h.learningRate)
        let decay = Float8(repeating: h.decay)
        let epsilon = Float8(repeating: h.epsilon)
        let weightDecay = Float8(repeating: h.weightDecay)
        forEachVector(parameter.count) { i, lanes in
            let param = Float8.load(p, i, lanes)
            let grad = Float8.load(g, i, lanes) + weightDecay * param
            let average = decay * Float8.load(s, i, lanes) + (1 - decay) * grad * grad
            average.store(s, i, lanes)
            (param - lr * grad / (average.squareRoot() + epsilon)).store(p, i, lanes)
        }
    }

    public func adamStep(
        parameter: Tensor, gradient: Tensor, firstMoment: Tensor, secondMoment: Tensor, step: Int,
        _ h: AdamHyperparameters
    ) throws {
        let c = try h.coefficients(step: step)
        try checkUpdate("adamStep", parameter: parameter, [
            ("gradient", gradient), ("firstMoment", firstMoment), ("secondMoment", secondMoment),
        ])
        let p = try pointer(parameter, op: "adamStep")
        let g = try pointer(gradient, op: "adamStep")
        let m = try pointer(firstMoment, op: "adamStep")
        let v = try pointer(secondMoment, op: "adamStep")
        let beta1 = Float8(repeating: h.beta1)
        let beta2 = Float8(repeating: h.beta2)
        let epsilon = Float8(repeating: h.epsilon)
        let stepSize = Float8(repeating: c.stepSize)
        let inverseRoot = Float8(repeating: c.inverseRootCorrection2)
        let parameterScale = Float8(repeating: c.parameterScale)
        let gradientDecay = Float8(repeating: c.gradientDecay)
        forEachVector(parameter.count) { i, lanes in
            let param = Float8.load(p, i, lanes)
            let grad = Float8.load(g, i, lanes) + gradientDecay * param
            let first = beta1 * Float8.load(m, i, lanes) + (1 - beta1) * grad
            let second = beta2 * Float8.load(v, i, lanes) + (1 - beta2) * grad * grad
            first.store(m, i, lanes)
            second.store(v, i, lanes)
            (param * parameterScale - stepSize * first / (second.squareRoot() * inverseRoot + epsilon)).store(p, i, lanes)
        }
    }

    public func addL1Subgradient(parameter: Tensor, strength: Float, to gradient: Tensor) throws {
        try checkUpdate("addL1Subgradient", parameter: parameter, [("gradient", gradient)])
        let p = try pointer(parameter, op: "addL1Subgradient")
        let g = try pointer(gradient, op: "addL1Subgradient")
        let positive = Float8(repeating: strength)
        let negative = Float8(repeating: -strength)
        forEachVector(parameter.count) { i, lanes in
            let param = Float8.load(p, i, lanes)
            var sign = Float8()
            sign.replace(with: positive, where: param .> 0)
            sign.replace(with: negative, where: param .< 0)
            (Float8.load(g, i, lanes) + sign).store(g, i, lanes)
        }
    }

    public func globalNorm(_ tensors: [Tensor], into norm: Tensor) throws {
        try checkNormArguments("globalNorm", tensors, norm: norm)
        try pointer(norm, op: "globalNorm").pointee = Float(try sumOfSquares(tensors).squareRoot())
    }

    public func scale(_ tensors: [Tensor], by factor: Float) throws {
        try checkNormArguments("scale", tensors, norm: nil)
        for tensor in tensors {
            let x = try pointer(tensor, op: "scale")
            let multiplier = Float8(repeating: factor)
            forEachVector(tensor.count) { i, lanes in
                (Float8.load(x, i, lanes) * multiplier).store(x, i, lanes)
            }
        }
    }

    public func clipByGlobalNorm(_ tensors: [Tensor], maxNorm: Float, norm: Tensor) throws {
        try globalNorm(tensors, into: norm)
        let total = try pointer(norm, op: "clipByGlobalNorm").pointee
        let factor = maxNorm / (total + clipNormEpsilon)
        if factor < 1 { try scale(tensors, by: factor) }
    }

    /// `Σ x²` over all tensors, summed in Float within blocks of 64 Ki elements and in Double
    /// across blocks (the same result for any thread count).
    private func sumOfSquares(_ tensors: [Tensor]) throws -> Double {
        let blockSize = 65_536
        var total = 0.0
        for tensor in tensors {
            let x = try pointer(tensor, op: "globalNorm")
            let count = tensor.count
            let blocks = (count + blockSize - 1) / blockSize
            var partials = [Double](repeating: 0, count: blocks)
            partials.withUnsafeMutableBufferPointer { partial in
                let out = UncheckedSendable(partial)
                parallelFor(blocks, grain: 1) { range in
                    for block in range {
                        var sum = Float8()
                        let start = block * blockSize
                        let end = min(count, start + blockSize)
                        var i = start
                        while i < end {
                            let value = Float8.load(x, i, min(8, end - i))
                            sum += value * value
                            i += 8
                        }
                        out.value[block] = Double(sum.sum())
                    }
                }
            }
            total += partials.reduce(0, +)
        }
        return total
    }

    /// Calls `body(firstIndex, lanes)` for every 8-element vector of `0..<count` (only the last
    /// may have fewer than 8 lanes), spread over all cores.
    @inline(__always)
    private func forEachVector(_ count: Int, _ body: (Int, Int) -> Void) {
        parallelFor((count + 7) / 8, grain: 8_192) { range in
            for vector in range {
                let i = 8 * vector
                body(i, min(8, count - i))
            }
        }
    }
}

private typealias Float8 = SIMD8<Float>

extension SIMD8<Float> {
    /// `lanes` values from `base + index`; missing lanes are 0.
    @inline(__always)
    fileprivate static func load(_ base: UnsafeMutablePointer<Float>, _ index: Int, _ lanes: Int) -> Self {
        if lanes == 8 { return UnsafeRawPointer(base + index).loadUnaligned(as: Self.self) }
        var value = Self()
        for lane in 0..<lanes { value[lane] = base[index + lane] }
        return value
    }

    /// Writes the first `lanes` values to `base + index`.
    @inline(__always)
    fileprivate func store(_ base: UnsafeMutablePointer<Float>, _ index: Int, _ lanes: Int) {
        if lanes == 8 {
            UnsafeMutableRawPointer(base + index).storeBytes(of: self, as: Self.self)
            return
        }
        for lane in 0..<lanes { base[index + lane] = self[lane] }
    }
}

#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

extension CPUDevice: OptimizerOps {
    public func sgdStep(parameter: Tensor, gradient: Tensor, velocity: Tensor?, _ h: SGDHyperparameters) throws {
        let state = try sgdVelocity(parameter: parameter, gradient: gradient, velocity: velocity, h)
        let p = try pointer(parameter, op: "sgdStep")
        let g = try pointer(gradient, op: "sgdStep")
        let lr = Float4(repeating: h.learningRate)
        let decay = Float4(repeating: h.weightDecay)
        let momentum = Float4(repeating: h.momentum)
        guard let state else {
            forEachVectorChunk(parameter.count) { spans in
                for (i, lanes) in spans {
                    let param = Float4.load(p, i, lanes)
                    (param - lr * (Float4.load(g, i, lanes) + decay * param)).store(p, i, lanes)
                }
            }
            return
        }
        let v = try pointer(state, op: "sgdStep")
        let nesterov = h.nesterov
        forEachVectorChunk(parameter.count) { spans in
            for (i, lanes) in spans {
                let param = Float4.load(p, i, lanes)
                let grad = Float4.load(g, i, lanes) + decay * param
                let velocity = momentum * Float4.load(v, i, lanes) + grad
                let direction = nesterov ? grad + momentum * velocity : velocity
                velocity.store(v, i, lanes)
                (param - lr * direction).store(p, i, lanes)
            }
        }
    }

    public func rmspropStep(
        parameter: Tensor, gradient: Tensor, squareAverage: Tensor, gradientAverage: Tensor?, momentumBuffer: Tensor?,
        _ h: RMSpropHyperparameters
    ) throws {
        let (average, buffer) = try rmspropState(
            parameter: parameter, gradient: gradient, squareAverage: squareAverage, gradientAverage: gradientAverage,
            momentumBuffer: momentumBuffer, h)
        let p = try pointer(parameter, op: "rmspropStep")
        let g = try pointer(gradient, op: "rmspropStep")
        let s = try pointer(squareAverage, op: "rmspropStep")
        let a = try average.map { try pointer($0, op: "rmspropStep") }
        let b = try buffer.map { try pointer($0, op: "rmspropStep") }
        let lr = Float4(repeating: h.learningRate)
        let decay = Float4(repeating: h.decay)
        let epsilon = Float4(repeating: h.epsilon)
        let weightDecay = Float4(repeating: h.weightDecay)
        let momentum = Float4(repeating: h.momentum)
        forEachVectorChunk(parameter.count) { spans in
            for (i, lanes) in spans {
                let param = Float4.load(p, i, lanes)
                let grad = Float4.load(g, i, lanes) + weightDecay * param
                let square = decay * Float4.load(s, i, lanes) + (1 - decay) * grad * grad
                square.store(s, i, lanes)
                var variance = square
                if let a {
                    let mean = decay * Float4.load(a, i, lanes) + (1 - decay) * grad
                    mean.store(a, i, lanes)
                    variance = pointwiseMax(square - mean * mean, Float4(repeating: 0))
                }
                var direction = grad / (variance.vectorSquareRoot() + epsilon)
                if let b {
                    direction = momentum * Float4.load(b, i, lanes) + direction
                    direction.store(b, i, lanes)
                }
                (param - lr * direction).store(p, i, lanes)
            }
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
        let beta1 = Float4(repeating: h.beta1)
        let beta2 = Float4(repeating: h.beta2)
        let epsilon = Float4(repeating: h.epsilon)
        let stepSize = Float4(repeating: c.stepSize)
        let inverseRoot = Float4(repeating: c.inverseRootCorrection2)
        let parameterScale = Float4(repeating: c.parameterScale)
        let gradientDecay = Float4(repeating: c.gradientDecay)
        forEachVectorChunk(parameter.count) { spans in
            for (i, lanes) in spans {
                let param = Float4.load(p, i, lanes)
                let grad = Float4.load(g, i, lanes) + gradientDecay * param
                let first = beta1 * Float4.load(m, i, lanes) + (1 - beta1) * grad
                let second = beta2 * Float4.load(v, i, lanes) + (1 - beta2) * grad * grad
                first.store(m, i, lanes)
                second.store(v, i, lanes)
                (param * parameterScale - stepSize * first / (second.vectorSquareRoot() * inverseRoot + epsilon)).store(p, i, lanes)
            }
        }
    }

    public func addL1Subgradient(parameter: Tensor, strength: Float, to gradient: Tensor) throws {
        try checkUpdate("addL1Subgradient", parameter: parameter, [("gradient", gradient)])
        let p = try pointer(parameter, op: "addL1Subgradient")
        let g = try pointer(gradient, op: "addL1Subgradient")
        let positive = Float4(repeating: strength)
        let negative = Float4(repeating: -strength)
        forEachVectorChunk(parameter.count) { spans in
            for (i, lanes) in spans {
                let param = Float4.load(p, i, lanes)
                var sign = Float4()
                sign.replace(with: positive, where: param .> 0)
                sign.replace(with: negative, where: param .< 0)
                (Float4.load(g, i, lanes) + sign).store(g, i, lanes)
            }
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
            let multiplier = Float4(repeating: factor)
            forEachVectorChunk(tensor.count) { spans in
                for (i, lanes) in spans {
                    (Float4.load(x, i, lanes) * multiplier).store(x, i, lanes)
                }
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
                        var sum = Float4()
                        let start = block * blockSize
                        let end = min(count, start + blockSize)
                        var i = start
                        while i < end {
                            let value = Float4.load(x, i, min(4, end - i))
                            sum += value * value
                            i += 4
                        }
                        out.value[block] = Double(sum.sum())
                    }
                }
            }
            total += partials.reduce(0, +)
        }
        return total
    }

    /// Splits the 4-lane vectors of `0..<count` over all cores; `body` loops over its chunk.
    private func forEachVectorChunk(_ count: Int, _ body: (VectorSpans) -> Void) {
        parallelFor((count + 3) / 4, grain: 4_096) { vectors in body(VectorSpans(vectors, count: count)) }
    }
}

/// The vectors of one chunk as `(first element, lanes)`, lanes < 4 only at the end of the data.
/// Iterating it inline (rather than calling a closure per vector) keeps the update loops tight.
private struct VectorSpans: Sequence, IteratorProtocol {
    private var vector: Int
    private let end: Int
    private let count: Int

    init(_ vectors: Range<Int>, count: Int) {
        vector = vectors.lowerBound
        end = vectors.upperBound
        self.count = count
    }

    @inline(__always)
    mutating func next() -> (Int, Int)? {
        guard vector < end else { return nil }
        let first = 4 * vector
        vector += 1
        return (first, Swift.min(4, count - first))
    }
}

private typealias Float4 = SIMD4<Float>

extension SIMD4<Float> {
    /// `lanes` values from `base + index`; missing lanes are 0.
    @inline(__always)
    fileprivate static func load(_ base: UnsafeMutablePointer<Float>, _ index: Int, _ lanes: Int) -> Self {
        if lanes == 4 { return UnsafeRawPointer(base + index).loadUnaligned(as: Self.self) }
        var value = Self()
        for lane in 0..<lanes { value[lane] = base[index + lane] }
        return value
    }

    /// Lane-wise square root. On x86-64 one SSE `sqrtps`: the generic `squareRoot()` goes lane
    /// by lane through libm and costs the Adam update half its speed.
    @inline(__always)
    fileprivate func vectorSquareRoot() -> Self {
        #if arch(x86_64)
        return _mm_sqrt_ps(self)
        #else
        return squareRoot()
        #endif
    }

    /// Writes the first `lanes` values to `base + index`.
    @inline(__always)
    fileprivate func store(_ base: UnsafeMutablePointer<Float>, _ index: Int, _ lanes: Int) {
        if lanes == 4 {
            UnsafeMutableRawPointer(base + index).storeBytes(of: self, as: Self.self)
            return
        }
        for lane in 0..<lanes { base[index + lane] = self[lane] }
    }
}

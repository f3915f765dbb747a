import Foundation

/// Batch normalization on the CPU: one task per channel, channels spread over cores. A channel's
/// values (`N` runs of `S`) are read once from memory and then from cache: the forward pass sums
/// them, sums their squared distances from the mean, and writes the output; the backward pass
/// sums `dy` and `dy · (x − μ)`, then writes the input's gradient. Each run is summed in Float
/// in 8 lanes and the runs are added in Double.
extension CPUDevice: NormalizationOps {
    public func batchNorm(
        _ input: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float, relu: Bool, into output: Tensor, mean: Tensor,
        variance: Tensor
    ) throws {
        let op = "batchNorm"
        let plan = try BatchNormPlan(op, input: input, values: [output], perChannel: [gamma, beta, mean, variance], on: self)
        let x = try pointer(input, op: op), y = try pointer(output, op: op)
        let g = try pointer(gamma, op: op), b = try pointer(beta, op: op)
        let means = try pointer(mean, op: op), variances = try pointer(variance, op: op)
        let (channels, spatial, count) = (plan.channels, plan.spatial, Double(plan.perChannel))
        parallelFor(channels, grain: max(1, 65_536 / plan.perChannel)) { range in
            for c in range {
                var total: Double = 0
                for n in 0..<plan.batch { total += Double(Self.laneSum(x + (n * channels + c) * spatial, spatial)) }
                let mu = Float(total / count)
                var squares: Double = 0
                for n in 0..<plan.batch {
                    squares += Double(Self.laneSquaredDistance(x + (n * channels + c) * spatial, spatial, from: mu))
                }
                let sigma2 = Float(squares / count)
                let scale = g[c] / (sigma2 + epsilon).squareRoot()
                let shift = b[c] - mu * scale
                for n in 0..<plan.batch {
                    let offset = (n * channels + c) * spatial
                    let (source, target) = (x + offset, y + offset)
                    if relu {
                        for i in 0..<spatial { target[i] = max(source[i] * scale + shift, 0) }
                    } else {
                        for i in 0..<spatial { target[i] = source[i] * scale + shift }
                    }
                }
                (means[c], variances[c]) = (mu, sigma2)
            }
        }
    }

    public func batchNormBackward(
        gradOutput: Tensor, input: Tensor, gamma: Tensor, mean: Tensor, variance: Tensor, epsilon: Float,
        reluOutput: Tensor?, gradInput: Tensor?, gradGamma: Tensor, gradBeta: Tensor
    ) throws {
        let op = "batchNormBackward"
        let plan = try BatchNormPlan(
            op, input: input, values: [gradOutput, gradInput, reluOutput], perChannel: [gamma, mean, variance, gradGamma, gradBeta], on: self)
        let x = try pointer(input, op: op), dy = try pointer(gradOutput, op: op)
        let dx = try gradInput.map { try pointer($0, op: op) }
        let mask = try reluOutput.map { try pointer($0, op: op) }
        let g = try pointer(gamma, op: op), means = try pointer(mean, op: op), variances = try pointer(variance, op: op)
        let dg = try pointer(gradGamma, op: op), db = try pointer(gradBeta, op: op)
        let (channels, spatial, count) = (plan.channels, plan.spatial, Float(plan.perChannel))
        parallelFor(channels, grain: max(1, 65_536 / plan.perChannel)) { range in
            for c in range {
                let mu = means[c]
                let inverse = 1 / (variances[c] + epsilon).squareRoot()
                var sum: Double = 0, dot: Double = 0
                for n in 0..<plan.batch {
                    let offset = (n * channels + c) * spatial
                    if let mask {
                        sum += Double(Self.laneMaskedSum(dy + offset, where: mask + offset, spatial))
                        dot += Double(Self.laneMaskedDot(dy + offset, where: mask + offset, x + offset, spatial, centeredOn: mu))
                    } else {
                        sum += Double(Self.laneSum(dy + offset, spatial))
                        dot += Double(Self.laneDot(dy + offset, x + offset, spatial, centeredOn: mu))
                    }
                }
                let (gradShift, gradScale) = (Float(sum), Float(dot) * inverse)
                (db[c], dg[c]) = (gradShift, gradScale)
                guard let dx else { continue }
                // dx = a·dy + b·x + d, the formula of `batchNormBackward` expanded.
                let a = g[c] * inverse
                let b = -a * inverse * gradScale / count
                let d = -b * mu - a * gradShift / count
                for n in 0..<plan.batch {
                    let offset = (n * channels + c) * spatial
                    let (gradient, source, target) = (dy + offset, x + offset, dx + offset)
                    if let mask {
                        let positive = mask + offset
                        let whole = spatial / 8 * 8
                        for i in stride(from: 0, to: whole, by: 8) {
                            let masked = VectorMath.load(gradient + i).replacing(with: 0, where: VectorMath.load(positive + i) .<= 0)
                            VectorMath.store(a * masked + b * VectorMath.load(source + i) + d, target + i)
                        }
                        for i in whole..<spatial { target[i] = a * (positive[i] > 0 ? gradient[i] : 0) + b * source[i] + d }
                    } else {
                        for i in 0..<spatial { target[i] = a * gradient[i] + b * source[i] + d }
                    }
                }
            }
        }
    }

    /// `Σ x[i]` over `count` values, in 8 Float lanes.
    static func laneSum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        laneReduce(count) { i in VectorMath.load(x + i) } tail: { x[$0] }
    }

    /// `Σ (x[i] − center)²` over `count` values, in 8 Float lanes.
    static func laneSquaredDistance(_ x: UnsafePointer<Float>, _ count: Int, from center: Float) -> Float {
        laneReduce(count) { i in
            let d = VectorMath.load(x + i) - center
            return d * d
        } tail: { i in (x[i] - center) * (x[i] - center) }
    }

    /// `Σ y[i] · (x[i] − center)` over `count` values, in 8 Float lanes.
    static func laneDot(_ y: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int, centeredOn center: Float) -> Float {
        laneReduce(count) { i in
            VectorMath.load(y + i) * (VectorMath.load(x + i) - center)
        } tail: { i in y[i] * (x[i] - center) }
    }

    /// `Σ y[i]` over the `count` values where `positive[i] > 0`, in 8 Float lanes.
    static func laneMaskedSum(_ y: UnsafePointer<Float>, where positive: UnsafePointer<Float>, _ count: Int) -> Float {
        laneReduce(count) { i in
            VectorMath.load(y + i).replacing(with: 0, where: VectorMath.load(positive + i) .<= 0)
        } tail: { i in positive[i] > 0 ? y[i] : 0 }
    }

    /// `Σ y[i] · (x[i] − center)` over the `count` values where `positive[i] > 0`, in 8 Float lanes.
    static func laneMaskedDot(
        _ y: UnsafePointer<Float>, where positive: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int,
        centeredOn center: Float
    ) -> Float {
        laneReduce(count) { i in
            let masked = VectorMath.load(y + i).replacing(with: 0, where: VectorMath.load(positive + i) .<= 0)
            return masked * (VectorMath.load(x + i) - center)
        } tail: { i in positive[i] > 0 ? y[i] * (x[i] - center) : 0 }
    }

    /// The sum of `lanes(i)` for `i = 0, 8, 16, …` below the last whole 8, plus `tail(i)` for the rest.
    @inline(__always)
    static func laneReduce(_ count: Int, lanes: (Int) -> SIMD8<Float>, tail: (Int) -> Float) -> Float {
        var accumulator = SIMD8<Float>(repeating: 0)
        let whole = count / 8 * 8
        for i in stride(from: 0, to: whole, by: 8) { accumulator += lanes(i) }
        var total = accumulator.sum()
        for i in whole..<count { total += tail(i) }
        return total
    }
}

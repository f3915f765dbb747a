/// Layer normalization on the CPU. Rows are spread over cores (a small op runs on the calling
/// thread); each row is read once from memory and then from cache: summed for its mean, summed
/// again for its variance around it, and written out. Backward writes each row's input gradient
/// from two sums over the row, and sums the gamma and beta gradients over the rows in a second
/// loop spread over features, each feature's rows added in order (the same on any core count).
extension CPUDevice: LayerNormalizationOps {
    /// Values per task below which a loop runs on the calling thread.
    private static let valuesPerTask = 16_384

    public func layerNorm(
        _ input: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float, into output: Tensor, mean: Tensor, inverseStd: Tensor
    ) throws {
        let op = "layerNorm"
        let plan = try LayerNormPlan(
            op, input: input, values: [output], perFeature: [gamma, beta], perRow: [mean, inverseStd], on: self)
        let x = try pointer(input, op: op), y = try pointer(output, op: op)
        let g = try pointer(gamma, op: op), b = try pointer(beta, op: op)
        let means = try pointer(mean, op: op), inverses = try pointer(inverseStd, op: op)
        let features = plan.features
        let count = Float(features)
        parallelFor(plan.rows, grain: max(1, Self.valuesPerTask / features)) { range in
            for r in range {
                let (source, target) = (x + r * features, y + r * features)
                let mu = Self.laneSum(source, features) / count
                let sigma2 = Self.laneSquaredDistance(source, features, from: mu) / count
                let inverse = 1 / (sigma2 + epsilon).squareRoot()
                for f in 0..<features { target[f] = (source[f] - mu) * inverse * g[f] + b[f] }
                (means[r], inverses[r]) = (mu, inverse)
            }
        }
    }

    public func layerNormBackward(
        gradOutput: Tensor, input: Tensor, gamma: Tensor, mean: Tensor, inverseStd: Tensor,
        gradInput: Tensor?, gradGamma: Tensor, gradBeta: Tensor
    ) throws {
        let op = "layerNormBackward"
        let plan = try LayerNormPlan(
            op, input: input, values: [gradOutput, gradInput], perFeature: [gamma, gradGamma, gradBeta],
            perRow: [mean, inverseStd], on: self)
        let x = try pointer(input, op: op), dy = try pointer(gradOutput, op: op)
        let dx = try gradInput.map { try pointer($0, op: op) }
        let g = try pointer(gamma, op: op), means = try pointer(mean, op: op), inverses = try pointer(inverseStd, op: op)
        let dg = try pointer(gradGamma, op: op), db = try pointer(gradBeta, op: op)
        let (rows, features) = (plan.rows, plan.features)
        let count = Float(features)
        if let dx {
            parallelFor(rows, grain: max(1, Self.valuesPerTask / features)) { range in
                for r in range {
                    let offset = r * features
                    let (gradient, source, target) = (dy + offset, x + offset, dx + offset)
                    let (mu, inverse) = (means[r], inverses[r])
                    let sum = Self.laneReduce(features) { i in
                        VectorMath.load(gradient + i) * VectorMath.load(g + i)
                    } tail: { i in gradient[i] * g[i] }
                    let dot = Self.laneReduce(features) { i in
                        VectorMath.load(gradient + i) * VectorMath.load(g + i) * (VectorMath.load(source + i) - mu)
                    } tail: { i in gradient[i] * g[i] * (source[i] - mu) }
                    // dx = inverse · dy·gamma + b · (x − μ) + d, the formula of `layerNormBackward` expanded.
                    let b = -inverse * inverse * inverse * dot / count
                    let d = -inverse * sum / count
                    for f in 0..<features { target[f] = inverse * gradient[f] * g[f] + b * (source[f] - mu) + d }
                }
            }
        }
        parallelFor(features, grain: max(1, Self.valuesPerTask / rows)) { range in
            for f in range { (dg[f], db[f]) = (0, 0) }
            for r in 0..<rows {
                let offset = r * features
                let (mu, inverse) = (means[r], inverses[r])
                for f in range {
                    let gradient = dy[offset + f]
                    db[f] += gradient
                    dg[f] += gradient * (x[offset + f] - mu) * inverse
                }
            }
        }
    }
}

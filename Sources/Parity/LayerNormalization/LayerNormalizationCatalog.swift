import Backend

extension ParityCatalog {
    /// Fused layer normalization forward (output, per-row mean and inverse standard deviation)
    /// and backward (the input, gamma and beta gradients against central differences of the
    /// Double forward pass), for rows shorter and longer than the CPU's 8 lanes.
    public static let layerNormalization: [ParityCase] = [LayerNormalizationCatalog.forward, LayerNormalizationCatalog.backward]
}

/// The layer-norm cases and their Double reference.
enum LayerNormalizationCatalog {
    static let family = "layerNormalization"
    static let epsilon: Float = 1e-5

    /// (rows, features).
    static let sizes = [(5, 3), (4, 8), (3, 37), (70, 32)]

    /// `(output, mean, inverseStd)` of layer norm in Double.
    static func reference(x: [Double], gamma: [Double], beta: [Double], features: Int)
        -> (output: [Double], mean: [Double], inverseStd: [Double])
    {
        let rows = x.count / features
        var output = [Double](repeating: 0, count: x.count)
        var means = [Double](repeating: 0, count: rows), inverses = means
        for r in 0..<rows {
            let row = x[(r * features)..<((r + 1) * features)]
            let mean = row.reduce(0, +) / Double(features)
            let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(features)
            let inverse = 1 / (variance + Double(epsilon)).squareRoot()
            for f in 0..<features { output[r * features + f] = (x[r * features + f] - mean) * inverse * gamma[f] + beta[f] }
            (means[r], inverses[r]) = (mean, inverse)
        }
        return (output, means, inverses)
    }

    static func checks(_ trial: @escaping @Sendable (_ rows: Int, _ features: Int) -> ParityTrial) -> [ParityCheck] {
        sizes.map { rows, features in
            ParityCheck(shape: [rows, features], variant: features < 8 ? "short rows" : "rows of 8 and more") {
                trial(rows, features)
            }
        }
    }

    static let forward = ParityCase(family: family, op: "layerNorm", tolerance: 1e-5, checks: checks { rows, features in
        let x = randomValues(rows * features, in: -2...3, seed: 111)
        let gamma = randomValues(features, in: 0.5...2, seed: 112), beta = randomValues(features, seed: 113)
        return ParityTrial(
            run: { device in
                let output = try poisonedTensor([rows, features], on: device)
                let mean = try poisonedTensor([rows], on: device), inverseStd = try poisonedTensor([rows], on: device)
                try device.layerNorm(
                    Tensor(x, shape: [rows, features], on: device), gamma: Tensor(gamma, shape: [features], on: device),
                    beta: Tensor(beta, shape: [features], on: device), epsilon: epsilon, into: output, mean: mean,
                    inverseStd: inverseStd)
                return try output.toArray() + mean.toArray() + inverseStd.toArray()
            },
            reference: {
                let result = reference(
                    x: x.map(Double.init), gamma: gamma.map(Double.init), beta: beta.map(Double.init), features: features)
                return result.output + result.mean + result.inverseStd
            })
    })

    /// The gradients of the input, gamma and beta for a random upstream gradient.
    static let backward = ParityCase(family: family, op: "layerNormBackward", tolerance: 1e-4, checks: checks { rows, features in
        let count = rows * features
        let x = randomValues(count, in: -2...3, seed: 114)
        let gamma = randomValues(features, in: 0.5...2, seed: 115), beta = randomValues(features, seed: 116)
        let upstream = randomValues(count, seed: 117)
        return ParityTrial(
            run: { device in
                let shape = [rows, features]
                let input = try Tensor(x, shape: shape, on: device), scale = try Tensor(gamma, shape: [features], on: device)
                let output = try poisonedTensor(shape, on: device)
                let mean = try poisonedTensor([rows], on: device), inverseStd = try poisonedTensor([rows], on: device)
                try device.layerNorm(
                    input, gamma: scale, beta: Tensor(beta, shape: [features], on: device), epsilon: epsilon, into: output,
                    mean: mean, inverseStd: inverseStd)
                let gradInput = try poisonedTensor(shape, on: device)
                let gradGamma = try poisonedTensor([features], on: device), gradBeta = try poisonedTensor([features], on: device)
                try device.layerNormBackward(
                    gradOutput: Tensor(upstream, shape: shape, on: device), input: input, gamma: scale, mean: mean,
                    inverseStd: inverseStd, gradInput: gradInput, gradGamma: gradGamma, gradBeta: gradBeta)
                return try gradInput.toArray() + gradGamma.toArray() + gradBeta.toArray()
            },
            reference: {
                finiteDifferenceGradient(
                    of: { values in
                        let result = reference(
                            x: Array(values[0..<count]), gamma: Array(values[count..<count + features]),
                            beta: Array(values[(count + features)...]), features: features)
                        return weightedSum(result.output, upstream)
                    },
                    at: (x + gamma + beta).map(Double.init))
            })
    })
}

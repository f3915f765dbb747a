import Backend

extension ParityCatalog {
    /// Max and average pooling forward and backward; gradients against central differences of
    /// the Double forward pass.
    public static let pool: [ParityCase] = [PoolCatalog.maxPool, PoolCatalog.maxPoolBackward, PoolCatalog.avgPool, PoolCatalog.avgPoolBackward]
}

/// The pooling cases: every `PoolCase`, with the seeds of their inputs.
enum PoolCatalog {
    static let family = "pool"

    /// Runs max pooling of `x` on `device`: the maxima and their indices.
    static func runMaxPool(_ poolCase: PoolCase, _ x: [Float], on device: any Device) throws -> (output: Tensor, indices: Tensor) {
        let output = try poisonedTensor(poolCase.outputShape, on: device)
        let indices = try poisonedTensor(poolCase.outputShape, on: device)
        try device.maxPool2d(Tensor(x, shape: poolCase.shape, on: device), poolCase.descriptor, into: output, indices: indices)
        return (output, indices)
    }

    /// The maxima and their indices must be exact, also when a window holds its maximum twice
    /// (`ties`: values rounded to halves, where the first maximum in row-major order wins).
    static let maxPool = ParityCase(family: family, op: "maxPool2d", tolerance: 0, checks: PoolCase.all.flatMap { poolCase in
        [(false, false), (true, false), (true, true)].map { indices, ties in
            ParityCheck(
                shape: poolCase.shape,
                variant: "\(poolCase.descriptorText) \(indices ? "indices" : "values")\(ties ? " with ties" : "")"
            ) {
                let random = randomValues(Tensor.elementCount(poolCase.shape), seed: 61)
                let x = ties ? random.map { ($0 * 2).rounded() / 2 } : random
                return ParityTrial(
                    run: { device in
                        let result = try runMaxPool(poolCase, x, on: device)
                        return try (indices ? result.indices : result.output).toArray()
                    },
                    reference: {
                        let reference = poolCase.reference(x.map(Double.init), max: true)
                        return indices ? reference.argmax : reference.values
                    })
            }
        }
    })

    static let maxPoolBackward = ParityCase(family: family, op: "maxPool2dBackward", tolerance: 1e-5, checks: PoolCase.all.map { poolCase in
        ParityCheck(shape: poolCase.shape, variant: poolCase.descriptorText) {
            let x = randomValues(Tensor.elementCount(poolCase.shape), seed: 61)
            let upstream = randomValues(Tensor.elementCount(poolCase.outputShape), seed: 62)
            return ParityTrial(
                run: { device in
                    let indices = try runMaxPool(poolCase, x, on: device).indices
                    let gradInput = try poisonedTensor(poolCase.shape, on: device)
                    try device.maxPool2dBackward(
                        gradOutput: Tensor(upstream, shape: poolCase.outputShape, on: device), indices: indices,
                        poolCase.descriptor, into: gradInput)
                    return try gradInput.toArray()
                },
                reference: {
                    finiteDifferenceGradient(
                        of: { weightedSum(poolCase.reference($0, max: true).values, upstream) }, at: x.map(Double.init), step: 1e-7)
                })
        }
    })

    /// Each case with the padding counted in the divisor and without.
    static func avgPoolChecks(_ trial: @escaping @Sendable (PoolCase, Pool2DDescriptor, [Float]) -> ParityTrial) -> [ParityCheck] {
        PoolCase.all.flatMap { poolCase in
            [true, false].map { includesPadding in
                var counting = poolCase.descriptor
                counting.countIncludesPadding = includesPadding
                let descriptor = counting
                return ParityCheck(shape: poolCase.shape, variant: "\(poolCase.descriptorText) padding counted: \(includesPadding)") {
                    trial(poolCase, descriptor, randomValues(Tensor.elementCount(poolCase.shape), seed: 71))
                }
            }
        }
    }

    static let avgPool = ParityCase(family: family, op: "avgPool2d", tolerance: 1e-6, checks: avgPoolChecks { poolCase, descriptor, x in
        ParityTrial(
            run: { device in
                let output = try poisonedTensor(poolCase.outputShape, on: device)
                try device.avgPool2d(Tensor(x, shape: poolCase.shape, on: device), descriptor, into: output)
                return try output.toArray()
            },
            reference: {
                poolCase.reference(x.map(Double.init), max: false, countIncludesPadding: descriptor.countIncludesPadding).values
            })
    })

    static let avgPoolBackward = ParityCase(family: family, op: "avgPool2dBackward", tolerance: 1e-5, checks: avgPoolChecks { poolCase, descriptor, x in
        let upstream = randomValues(Tensor.elementCount(poolCase.outputShape), seed: 72)
        return ParityTrial(
            run: { device in
                let gradInput = try poisonedTensor(poolCase.shape, on: device)
                try device.avgPool2dBackward(
                    gradOutput: Tensor(upstream, shape: poolCase.outputShape, on: device), descriptor, into: gradInput)
                return try gradInput.toArray()
            },
            reference: {
                let forward = { (x: [Double]) in
                    poolCase.reference(x, max: false, countIncludesPadding: descriptor.countIncludesPadding).values
                }
                return finiteDifferenceGradient(of: { weightedSum(forward($0), upstream) }, at: x.map(Double.init))
            })
    })
}

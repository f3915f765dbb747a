import Backend

extension ParityCatalog {
    /// Softmax cross-entropy (with its fused gradient and its backward op), mean squared error
    /// and binary cross-entropy forward and backward, for every reduction. Gradients are checked
    /// against central differences of the Double losses.
    public static let loss: [ParityCase] = LossReduction.allCases.flatMap { reduction in
        [LossCatalog.crossEntropy(reduction), LossCatalog.crossEntropyFusedGradient(reduction),
         LossCatalog.crossEntropyBackward(reduction)]
            + ElementwiseLoss.allCases.flatMap { [LossCatalog.forward($0, reduction), LossCatalog.backward($0, reduction)] }
    }
}

/// The loss cases: shapes, value ranges and seeds.
enum LossCatalog {
    static let family = "loss"
    /// Odd `[rows, classes]` shapes: one row, one class, classes not multiples of anything.
    static let crossEntropyShapes = [[1, 7], [5, 3], [13, 10], [4, 1], [2, 3, 5]]
    static let elementwiseShapes = [[1], [7], [3, 5, 2], [2, 1, 33]]

    /// Logits in [-4, 4] and labels for one cross-entropy shape, and the reduced loss in Double.
    struct CrossEntropyInputs: Sendable {
        let shape: [Int]
        let rows: Int
        let logits: [Float]
        let labels: [Float]
        let reduction: LossReduction
        let seed: UInt64

        init(_ index: Int, _ reduction: LossReduction) {
            shape = LossCatalog.crossEntropyShapes[index]
            let classes = shape.last ?? 1
            rows = Tensor.elementCount(shape) / classes
            seed = UInt64(100 + index)
            logits = randomValues(rows * classes, in: -4...4, seed: seed)
            labels = LossInputs.labels(rows: rows, classes: classes, seed: seed)
            self.reduction = reduction
        }

        var lossShape: [Int] { reduction == .none ? [rows] : [1] }
        var x: [Double] { logits.map(Double.init) }

        func forward(_ x: [Double]) -> [Double] {
            LossReference.reduce(LossReference.crossEntropy(x, labels: labels, classes: shape.last ?? 1), reduction)
        }

        /// Runs the fused op on `device`: the loss and the gradient of the reduced loss.
        func run(on device: any Device) throws -> (loss: [Float], gradient: [Float]) {
            let loss = try poisonedTensor(lossShape, on: device)
            let grad = try poisonedTensor(shape, on: device)
            try device.softmaxCrossEntropy(
                logits: Tensor(logits, shape: shape, on: device), labels: Tensor(labels, shape: Array(shape.dropLast()), on: device),
                reduction: reduction, into: loss, gradLogits: grad)
            return (try loss.toArray(), try grad.toArray())
        }
    }

    static func crossEntropyChecks(
        _ reduction: LossReduction, _ trial: @escaping @Sendable (CrossEntropyInputs) -> ParityTrial
    ) -> [ParityCheck] {
        crossEntropyShapes.indices.map { index in
            ParityCheck(shape: crossEntropyShapes[index]) { trial(CrossEntropyInputs(index, reduction)) }
        }
    }

    static func crossEntropy(_ reduction: LossReduction) -> ParityCase {
        ParityCase(family: family, op: "softmaxCrossEntropy \(reduction)", tolerance: 1e-5, checks: crossEntropyChecks(reduction) { inputs in
            ParityTrial(run: { try inputs.run(on: $0).loss }, reference: { inputs.forward(inputs.x) })
        })
    }

    /// The fused gradient is that of the reduced loss (the sum of row losses for `.none`).
    static func crossEntropyFusedGradient(_ reduction: LossReduction) -> ParityCase {
        ParityCase(
            family: family, op: "softmaxCrossEntropy \(reduction) fused gradient", tolerance: 1e-4,
            checks: crossEntropyChecks(reduction) { inputs in
                ParityTrial(
                    run: { try inputs.run(on: $0).gradient },
                    reference: { finiteDifferenceGradient(of: { inputs.forward($0).reduce(0, +) }, at: inputs.x) })
            })
    }

    static func crossEntropyBackward(_ reduction: LossReduction) -> ParityCase {
        ParityCase(family: family, op: "softmaxCrossEntropyBackward \(reduction)", tolerance: 1e-4, checks: crossEntropyChecks(reduction) { inputs in
            let upstream = LossInputs.upstream(reduction, samples: inputs.rows, seed: inputs.seed + 50)
            return ParityTrial(
                run: { device in
                    let backward = try poisonedTensor(inputs.shape, on: device)
                    try device.softmaxCrossEntropyBackward(
                        logits: Tensor(inputs.logits, shape: inputs.shape, on: device),
                        labels: Tensor(inputs.labels, shape: Array(inputs.shape.dropLast()), on: device), reduction: reduction,
                        gradOutput: Tensor(upstream, shape: inputs.lossShape, on: device), into: backward)
                    return try backward.toArray()
                },
                reference: { finiteDifferenceGradient(of: { weightedSum(inputs.forward($0), upstream) }, at: inputs.x) })
        })
    }

    /// Inputs in [-6, 6] and targets in the loss's range for each elementwise shape.
    static func elementwiseChecks(
        _ loss: ElementwiseLoss, _ reduction: LossReduction, variants: [String],
        _ trial: @escaping @Sendable (_ shape: [Int], _ input: [Float], _ target: [Float], _ seed: UInt64, _ variant: String) -> ParityTrial
    ) -> [ParityCheck] {
        elementwiseShapes.enumerated().flatMap { index, shape in
            variants.map { variant in
                ParityCheck(shape: shape, variant: variant) {
                    let count = Tensor.elementCount(shape)
                    let seed = UInt64(200 + index)
                    return trial(
                        shape, randomValues(count, in: -6...6, seed: seed), randomValues(count, in: loss.targetRange, seed: seed + 1),
                        seed, variant)
                }
            }
        }
    }

    static func forward(_ loss: ElementwiseLoss, _ reduction: LossReduction) -> ParityCase {
        let checks = elementwiseChecks(loss, reduction, variants: [""]) { shape, input, target, _, _ in
            ParityTrial(
                run: { device in
                    let out = try poisonedTensor(reduction == .none ? shape : [1], on: device)
                    try loss.forward(
                        device, Tensor(input, shape: shape, on: device), Tensor(target, shape: shape, on: device), reduction, out)
                    return try out.toArray()
                },
                reference: { LossReference.reduce(loss.reference(input.map(Double.init), target), reduction) })
        }
        return ParityCase(family: family, op: "\(loss.opName) \(reduction)", tolerance: 1e-5, checks: checks)
    }

    /// With a random upstream gradient, and without one (the factor is then 1).
    static func backward(_ loss: ElementwiseLoss, _ reduction: LossReduction) -> ParityCase {
        let variants = ["with gradOutput", "without gradOutput"]
        let checks = elementwiseChecks(loss, reduction, variants: variants) { shape, input, target, seed, variant in
            let upstream = variant == variants[0] ? LossInputs.upstream(reduction, samples: input.count, seed: seed + 2) : nil
            return ParityTrial(
                run: { device in
                    let grad = try poisonedTensor(shape, on: device)
                    let gradOutput = try upstream.map { try Tensor($0, shape: reduction == .none ? shape : [1], on: device) }
                    try loss.backward(
                        device, Tensor(input, shape: shape, on: device), Tensor(target, shape: shape, on: device), reduction,
                        gradOutput, grad)
                    return try grad.toArray()
                },
                reference: {
                    let forward = { (x: [Double]) in LossReference.reduce(loss.reference(x, target), reduction) }
                    let objective = { (x: [Double]) in upstream.map { weightedSum(forward(x), $0) } ?? forward(x).reduce(0, +) }
                    return finiteDifferenceGradient(of: objective, at: input.map(Double.init))
                })
        }
        return ParityCase(family: family, op: "\(loss.opName)Backward \(reduction)", tolerance: 1e-4, checks: checks)
    }
}

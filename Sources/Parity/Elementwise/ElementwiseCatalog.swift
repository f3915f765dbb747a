import Backend

extension ParityCatalog {
    /// Every unary op forward and backward, every binary op with broadcasting and with a
    /// scalar, the fused bias + activation forward and backward, the activations' backward pass
    /// from their output, and fill.
    public static let elementwise: [ParityCase] = {
        let unary = UnaryOp.allCases.map(ElementwiseCatalog.unary) + UnaryOp.allCases.map(ElementwiseCatalog.unaryBackward)
        let binary = BinaryOp.allCases.map(ElementwiseCatalog.binary) + BinaryOp.allCases.map(ElementwiseCatalog.binaryScalar)
        let activations: [UnaryOp?] = [nil] + UnaryOp.allCases.map(Optional.some)
        let fromOutput: [UnaryOp?] = [nil] + ElementwiseCatalog.outputDerivativeOps.map(Optional.some)
        let fused: [ParityCase] = activations.map(ElementwiseCatalog.biasActivation)
            + ElementwiseCatalog.outputDerivativeOps.map(ElementwiseCatalog.activationBackward)
            + fromOutput.flatMap { activation in
                [false, true].map { ElementwiseCatalog.biasActivationBackward(activation, accumulate: $0) }
            }
        return unary + binary + fused + [ElementwiseCatalog.fill]
    }()
}

/// The elementwise cases: their shapes, value ranges and seeds.
enum ElementwiseCatalog {
    static let family = "elementwise"
    static let tolerance = 1e-4
    /// Odd sizes, size-1 dimensions, a scalar and one large tensor.
    static let shapes: [[Int]] = [[], [1], [7], [3, 1, 5], [513, 1], [1, 257], [1_000_003]]
    static let broadcastPairs: [([Int], [Int])] = [
        ([7], [7]), ([1_000_003], [1_000_003]), ([3, 1], [1, 4]), ([2, 3, 4], [4]), ([4], [2, 3, 4]),
        ([3, 1, 5], [1]), ([], [2, 3]), ([2, 3], []), ([513, 1], [1, 257]), ([2, 1, 3, 1], [5, 1, 7]), ([1], [1]),
    ]

    static func unary(_ op: UnaryOp) -> ParityCase {
        ParityCase(family: family, op: "unary \(op)", tolerance: tolerance, checks: unaryChecks(op) { shape, values, _ in
            ParityTrial(
                run: { device in
                    let y = try poisonedTensor(shape, on: device)
                    try device.unary(op, Tensor(values, shape: shape, on: device), into: y)
                    return try y.toArray()
                },
                reference: { values.map { ElementwiseReference.unary(op, Double($0)) } })
        })
    }

    static func unaryBackward(_ op: UnaryOp) -> ParityCase {
        ParityCase(family: family, op: "unaryBackward \(op)", tolerance: tolerance, checks: unaryChecks(op) { shape, values, seed in
            let gradients = cachedRandomValues(values.count, seed: seed + 100)
            return ParityTrial(
                run: { device in
                    let gradInput = try poisonedTensor(shape, on: device)
                    try device.unaryBackward(
                        op, input: Tensor(values, shape: shape, on: device),
                        gradOutput: Tensor(gradients, shape: shape, on: device), into: gradInput)
                    return try gradInput.toArray()
                },
                reference: { zip(values, gradients).map { ElementwiseReference.derivative(op, Double($0)) * Double($1) } })
        })
    }

    /// Every small shape with small and large magnitudes, and the large tensor with large ones;
    /// `trial` gets the shape, the inputs and their seed.
    static func unaryChecks(
        _ op: UnaryOp, _ trial: @escaping @Sendable ([Int], [Float], UInt64) -> ParityTrial
    ) -> [ParityCheck] {
        let small: ClosedRange<Float> = op == .log || op == .sqrt ? 1e-3...1 : -1...1
        let cases = shapes.dropLast().flatMap { [($0, small), ($0, domain(op))] } + [(shapes[shapes.count - 1], domain(op))]
        return cases.enumerated().map { index, shapeAndRange in
            let (shape, range) = shapeAndRange
            return ParityCheck(shape: shape, variant: "in \(range)") {
                trial(shape, cachedRandomValues(Tensor.elementCount(shape), in: range, seed: UInt64(index)), UInt64(index))
            }
        }
    }

    static func binary(_ op: BinaryOp) -> ParityCase {
        let checks = broadcastPairs.enumerated().map { index, pair in
            let (shapeA, shapeB) = pair
            return ParityCheck(shape: "\(shapeA) with \(shapeB)") {
                let (a, b) = binaryInputs(op, shapeA, shapeB, seed: UInt64(index))
                let outputShape = ElementwiseReference.broadcastShape(shapeA, shapeB)
                return ParityTrial(
                    run: { device in
                        let out = try poisonedTensor(outputShape, on: device)
                        try device.binary(op, Tensor(a, shape: shapeA, on: device), Tensor(b, shape: shapeB, on: device), into: out)
                        return try out.toArray()
                    },
                    reference: { ElementwiseReference.broadcast(op, a, shapeA, b, shapeB) })
            }
        }
        return ParityCase(family: family, op: "binary \(op)", tolerance: tolerance, checks: checks)
    }

    static func binaryScalar(_ op: BinaryOp) -> ParityCase {
        let scalar: Float = 1.75
        let checks = [false, true].flatMap { scalarFirst in
            shapes.enumerated().map { index, shape in
                ParityCheck(shape: shape, variant: scalarFirst ? "scalar first" : "scalar second") {
                    // pow needs a positive base: the tensor when it comes first, the scalar otherwise.
                    let range: ClosedRange<Float> = op == .pow ? (scalarFirst ? -3...3 : 0.5...2) : -1e3...1e3
                    let values = cachedRandomValues(Tensor.elementCount(shape), in: range, seed: UInt64(index))
                    return ParityTrial(
                        run: { device in
                            let out = try poisonedTensor(shape, on: device)
                            try device.binaryScalar(
                                op, Tensor(values, shape: shape, on: device), scalar: scalar, scalarFirst: scalarFirst, into: out)
                            return try out.toArray()
                        },
                        reference: {
                            values.map {
                                scalarFirst
                                    ? ElementwiseReference.binary(op, Double(scalar), Double($0))
                                    : ElementwiseReference.binary(op, Double($0), Double(scalar))
                            }
                        })
                }
            }
        }
        return ParityCase(family: family, op: "binaryScalar \(op)", tolerance: tolerance, checks: checks)
    }

    static func biasActivation(_ activation: UnaryOp?) -> ParityCase {
        let range = activation.map(domain) ?? -1e3...1e3
        // Keep x + bias inside the activation's domain: half of it from each.
        let half = range.lowerBound / 2...range.upperBound / 2
        let checks = [[5, 7], [1, 257], [3, 1, 5], [1000, 3], [9]].enumerated().map { index, shape in
            ParityCheck(shape: shape) {
                let columns = shape.last ?? 1
                let x = cachedRandomValues(Tensor.elementCount(shape), in: half, seed: UInt64(index))
                let bias = cachedRandomValues(columns, in: half, seed: UInt64(index) + 50)
                return ParityTrial(
                    run: { device in
                        let out = try poisonedTensor(shape, on: device)
                        try device.biasActivation(
                            Tensor(x, shape: shape, on: device), bias: Tensor(bias, shape: [columns], on: device),
                            activation: activation, into: out)
                        return try out.toArray()
                    },
                    reference: {
                        x.enumerated().map { position, value in
                            let sum = Double(value + bias[position % columns])
                            return activation.map { ElementwiseReference.unary($0, sum) } ?? sum
                        }
                    })
            }
        }
        return ParityCase(
            family: family, op: "biasActivation \(activation.map { "\($0)" } ?? "identity")", tolerance: tolerance, checks: checks)
    }

    /// The activations whose backward pass runs from their output.
    static let outputDerivativeOps = UnaryOp.allCases.filter(\.derivativeFollowsFromOutput)

    static func activationBackward(_ op: UnaryOp) -> ParityCase {
        ParityCase(family: family, op: "activationBackward \(op)", tolerance: tolerance, checks: unaryChecks(op) { shape, values, seed in
            let gradients = cachedRandomValues(values.count, seed: seed + 100)
            let outputs = values.map { Float(ElementwiseReference.unary(op, Double($0))) }
            return ParityTrial(
                run: { device in
                    let gradInput = try poisonedTensor(shape, on: device)
                    try device.activationBackward(
                        op, output: Tensor(outputs, shape: shape, on: device),
                        gradOutput: Tensor(gradients, shape: shape, on: device), into: gradInput)
                    return try gradInput.toArray()
                },
                reference: { zip(values, gradients).map { ElementwiseReference.derivative(op, Double($0)) * Double($1) } })
        })
    }

    /// The input gradient followed by the bias gradient; with `accumulate`, the bias gradient
    /// starts from values of its own.
    static func biasActivationBackward(_ activation: UnaryOp?, accumulate: Bool) -> ParityCase {
        let checks = [[5, 7], [1, 257], [3, 1, 5], [300, 3], [64, 130]].enumerated().map { index, shape in
            ParityCheck(shape: shape, variant: accumulate ? "accumulating" : "") {
                let columns = shape.last ?? 1
                let count = Tensor.elementCount(shape)
                let x = cachedRandomValues(count, in: -3...3, seed: UInt64(index) + 200)
                let outputs = x.map { value in activation.map { Float(ElementwiseReference.unary($0, Double(value))) } ?? value }
                let gradients = cachedRandomValues(count, seed: UInt64(index) + 300)
                let start = accumulate ? cachedRandomValues(columns, seed: UInt64(index) + 400) : [Float](repeating: 0, count: columns)
                return ParityTrial(
                    run: { device in
                        let gradInput = try poisonedTensor(shape, on: device)
                        let gradBias = accumulate ? try Tensor(start, shape: [columns], on: device) : try poisonedTensor([columns], on: device)
                        try device.biasActivationBackward(
                            activation, output: Tensor(outputs, shape: shape, on: device),
                            gradOutput: Tensor(gradients, shape: shape, on: device), into: gradInput, gradBias: gradBias,
                            accumulate: accumulate)
                        return try gradInput.toArray() + gradBias.toArray()
                    },
                    reference: {
                        let input = zip(x, gradients).map { value, gradient in
                            Double(gradient) * (activation.map { ElementwiseReference.derivative($0, Double(value)) } ?? 1)
                        }
                        var sums = start.map(Double.init)
                        for (position, value) in input.enumerated() { sums[position % columns] += value }
                        return input + sums
                    })
            }
        }
        let name = "biasActivationBackward \(activation.map { "\($0)" } ?? "identity")\(accumulate ? " accumulating" : "")"
        return ParityCase(family: family, op: name, tolerance: tolerance, checks: checks)
    }

    static let fill = ParityCase(family: family, op: "fill", tolerance: 0, checks: shapes.map { shape in
        ParityCheck(shape: shape) {
            ParityTrial(
                run: { device in
                    let x = try poisonedTensor(shape, on: device)
                    try device.fill(x, value: -3.25)
                    return try x.toArray()
                },
                reference: { [Double](repeating: -3.25, count: Tensor.elementCount(shape)) })
        }
    })

    /// Where each op is defined and tested: positive inputs for log and sqrt, exp kept finite.
    static func domain(_ op: UnaryOp) -> ClosedRange<Float> {
        switch op {
        case .log, .sqrt: 1e-3...1e3
        case .exp: -80...80
        default: -1e3...1e3
        }
    }

    /// Random operands; pow gets positive bases and moderate exponents.
    static func binaryInputs(_ op: BinaryOp, _ shapeA: [Int], _ shapeB: [Int], seed: UInt64) -> ([Float], [Float]) {
        let rangeA: ClosedRange<Float> = op == .pow ? 0.5...2 : -1e3...1e3
        let rangeB: ClosedRange<Float> = op == .pow ? -3...3 : -1e3...1e3
        return (cachedRandomValues(Tensor.elementCount(shapeA), in: rangeA, seed: seed),
                cachedRandomValues(Tensor.elementCount(shapeB), in: rangeB, seed: seed + 1000))
    }
}

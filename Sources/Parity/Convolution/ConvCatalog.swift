import Backend

extension ParityCatalog {
    /// `conv2d` and its three gradients on every `ConvCase`; the gradients against central
    /// differences of the Double forward pass (which is linear in each argument, so the
    /// differences are exact up to rounding).
    public static let convolution: [ParityCase] = [ConvCatalog.forward, ConvCatalog.forwardWithActivation]
        + ConvCatalog.Gradient.allCases.map(ConvCatalog.gradient)
}

/// The convolution cases.
enum ConvCatalog {
    static let family = "convolution"
    static let tolerance = 2e-5

    static let forward = ParityCase(family: family, op: "conv2d", tolerance: tolerance, checks: ConvCase.catalog.map { convCase in
        ParityCheck(shape: convCase.input, variant: convCase.variant) {
            let values = convCase.values(seed: 91)
            return ParityTrial(
                run: { try convCase.runForward(values, on: $0) },
                reference: {
                    convCase.forward(
                        values.x.map(Double.init), values.w.map(Double.init), convCase.hasBias ? values.b.map(Double.init) : nil)
                })
        }
    })

    /// `conv2d` with each fused activation, one activation per case in turn.
    static let forwardWithActivation = ParityCase(
        family: family, op: "conv2d + activation", tolerance: tolerance,
        checks: ConvCase.catalog.enumerated().map { index, convCase in
            let activations = UnaryOp.allCases.filter(\.derivativeFollowsFromOutput)
            let activation = activations[index % activations.count]
            return ParityCheck(shape: convCase.input, variant: "\(convCase.variant) \(activation)") {
                let values = convCase.values(seed: 92)
                return ParityTrial(
                    run: { try convCase.runForward(values, activation: activation, on: $0) },
                    reference: {
                        convCase.forward(
                            values.x.map(Double.init), values.w.map(Double.init), convCase.hasBias ? values.b.map(Double.init) : nil
                        ).map { ElementwiseReference.unary(activation, $0) }
                    })
            }
        })

    /// The three gradients.
    enum Gradient: CaseIterable {
        case input, weight, bias

        var op: String {
            switch self {
            case .input: "conv2dBackwardInput"
            case .weight: "conv2dBackwardWeight"
            case .bias: "conv2dBackwardBias"
            }
        }

        func run(_ convCase: ConvCase, _ values: ConvValues, on device: any Device) throws -> [Float] {
            switch self {
            case .input: try convCase.runBackwardInput(values, on: device)
            case .weight: try convCase.runBackwardWeight(values, on: device)
            case .bias: try convCase.runBackwardBias(values, on: device)
            }
        }
    }

    /// A gradient against central differences of `Σ upstream · forward` in its argument.
    static func gradient(_ gradient: Gradient) -> ParityCase {
        ParityCase(family: family, op: gradient.op, tolerance: tolerance, checks: ConvCase.catalog.map { convCase in
            ParityCheck(shape: convCase.input, variant: convCase.variant) {
                let values = convCase.values(seed: 93)
                return ParityTrial(
                    run: { try gradient.run(convCase, values, on: $0) },
                    reference: {
                        let (x, w, b) = (values.x.map(Double.init), values.w.map(Double.init), values.b.map(Double.init))
                        let bias = convCase.hasBias ? b : nil
                        let objective = { (x: [Double], w: [Double], b: [Double]?) in
                            weightedSum(convCase.forward(x, w, b), values.upstream)
                        }
                        return switch gradient {
                        case .input: finiteDifferenceGradient(of: { objective($0, w, bias) }, at: x)
                        case .weight: finiteDifferenceGradient(of: { objective(x, $0, bias) }, at: w)
                        case .bias: finiteDifferenceGradient(of: { objective(x, w, $0) }, at: b)
                        }
                    })
            }
        })
    }
}

import Backend

extension ParityCatalog {
    /// A hundred steps of every update rule, the global norm, scaling and clipping.
    public static let optimizer: [ParityCase] =
        OptimizerCase.allCases.map(OptimizerCatalog.hundredSteps)
        + [OptimizerCatalog.globalNorm, OptimizerCatalog.scale, OptimizerCatalog.clipByGlobalNorm]
}

/// The optimizer cases: a random quadratic to minimize, and tensors of odd sizes to measure.
enum OptimizerCatalog {
    static let family = "optimizer"
    static let shape = [37, 29]
    static let quadratic = RandomQuadratic.optimizerCases

    /// The device op (or ops) an optimizer configuration runs.
    static func opName(_ optimizer: OptimizerCase) -> String {
        switch optimizer {
        case .sgd: "sgdStep"
        case .sgdMomentum: "sgdStep momentum"
        case .sgdNesterov: "sgdStep nesterov"
        case .sgdWithL1: "addL1Subgradient + sgdStep"
        case .rmsprop: "rmspropStep"
        case .rmspropMomentum: "rmspropStep momentum"
        case .rmspropCentered: "rmspropStep centered momentum"
        case .adam: "adamStep"
        case .adamW: "adamStep decoupled decay"
        }
    }

    static func hundredSteps(_ optimizer: OptimizerCase) -> ParityCase {
        ParityCase(family: family, op: opName(optimizer), tolerance: 1e-4, checks: [
            ParityCheck(shape: shape, variant: "100 steps") {
                ParityTrial(
                    run: { try quadratic.run(optimizer, on: $0, shape: shape, steps: 100) },
                    reference: { quadratic.reference(optimizer, steps: 100) })
            },
        ])
    }

    static let globalNorm = ParityCase(family: family, op: "globalNorm", tolerance: 1e-5, checks: [
        ParityCheck(shape: "\(GradientList.shapes)") {
            ParityTrial(
                run: { device in
                    let norm = try poisonedTensor([1], on: device)
                    try device.globalNorm(GradientList.tensors(on: device), into: norm)
                    return try norm.toArray()
                },
                reference: { [GradientList.norm(GradientList.values())] })
        },
    ])

    static let scale = ParityCase(family: family, op: "scale", tolerance: 1e-7, checks: [
        ParityCheck(shape: "\(GradientList.shapes)", variant: "by -0.5") {
            ParityTrial(
                run: { device in
                    let tensors = try GradientList.tensors(on: device)
                    try device.scale(tensors, by: -0.5)
                    return try tensors.flatMap { try $0.toArray() }
                },
                reference: { GradientList.values().joined().map { -0.5 * Double($0) } })
        },
    ])

    /// Clipping to norm 3: the op reports the norm before clipping, and leaves the tensors with
    /// norm 3.
    static let clipByGlobalNorm = ParityCase(family: family, op: "clipByGlobalNorm", tolerance: 1e-5, checks: [
        ParityCheck(shape: "\(GradientList.shapes)", variant: "norm before clipping") {
            ParityTrial(
                run: { device in
                    let norm = try poisonedTensor([1], on: device)
                    try device.clipByGlobalNorm(GradientList.tensors(on: device), maxNorm: 3, norm: norm)
                    return try norm.toArray()
                },
                reference: { [GradientList.norm(GradientList.values())] })
        },
        ParityCheck(shape: "\(GradientList.shapes)", variant: "norm after clipping to 3") {
            ParityTrial(
                run: { device in
                    let tensors = try GradientList.tensors(on: device)
                    try device.clipByGlobalNorm(tensors, maxNorm: 3, norm: poisonedTensor([1], on: device))
                    return [Float(GradientList.norm(try tensors.map { try $0.toArray() }))]
                },
                reference: { [3] })
        },
    ])
}

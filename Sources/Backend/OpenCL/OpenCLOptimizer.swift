extension OpenCLDevice: OptimizerOps {
    public func sgdStep(parameter: Tensor, gradient: Tensor, velocity: Tensor?, _ h: SGDHyperparameters) throws {
        let state = try sgdVelocity(parameter: parameter, gradient: gradient, velocity: velocity, h)
        let mode: Int32 = state == nil ? 0 : (h.nesterov ? 2 : 1)
        try launchUpdate("sgd_step", parameter, [
            .tensor(parameter), .tensor(gradient), .tensor(state ?? parameter), .size(parameter.count),
            .float(h.learningRate), .float(h.weightDecay), .float(h.momentum), .int(mode),
        ])
    }

    public func rmspropStep(
        parameter: Tensor, gradient: Tensor, squareAverage: Tensor, gradientAverage: Tensor?, momentumBuffer: Tensor?,
        _ h: RMSpropHyperparameters
    ) throws {
        let (average, buffer) = try rmspropState(
            parameter: parameter, gradient: gradient, squareAverage: squareAverage, gradientAverage: gradientAverage,
            momentumBuffer: momentumBuffer, h)
        let mode: Int32 = (average == nil ? 0 : 1) | (buffer == nil ? 0 : 2)
        try launchUpdate("rmsprop_step", parameter, [
            .tensor(parameter), .tensor(gradient), .tensor(squareAverage), .tensor(average ?? squareAverage),
            .tensor(buffer ?? squareAverage), .size(parameter.count),
            .float(h.learningRate), .float(h.decay), .float(h.epsilon), .float(h.weightDecay), .float(h.momentum), .int(mode),
        ])
    }

    public func adamStep(
        parameter: Tensor, gradient: Tensor, firstMoment: Tensor, secondMoment: Tensor, step: Int,
        _ h: AdamHyperparameters
    ) throws {
        let c = try h.coefficients(step: step)
        try checkUpdate("adamStep", parameter: parameter, [
            ("gradient", gradient), ("firstMoment", firstMoment), ("secondMoment", secondMoment),
        ])
        try launchUpdate("adam_step", parameter, [
            .tensor(parameter), .tensor(gradient), .tensor(firstMoment), .tensor(secondMoment), .size(parameter.count),
            .float(h.beta1), .float(h.beta2), .float(h.epsilon), .float(c.stepSize), .float(c.inverseRootCorrection2),
            .float(c.parameterScale), .float(c.gradientDecay),
        ])
    }

    public func addL1Subgradient(parameter: Tensor, strength: Float, to gradient: Tensor) throws {
        try checkUpdate("addL1Subgradient", parameter: parameter, [("gradient", gradient)])
        try launchUpdate("l1_subgradient", parameter, [
            .tensor(parameter), .tensor(gradient), .size(parameter.count), .float(strength),
        ])
    }

    public func globalNorm(_ tensors: [Tensor], into norm: Tensor) throws {
        try checkNormArguments("globalNorm", tensors, norm: norm)
        let group = reductionGroupSize
        let groups = tensors.map { min(256, max(1, ($0.count + group * 16 - 1) / (group * 16))) }
        let partials = try Tensor(uninitializedShape: [max(1, groups.reduce(0, +))], on: self)
        var first = 0
        for (tensor, groupCount) in zip(tensors, groups) {
            try checkKernelIndexRange(tensor.count, op: "globalNorm")
            try launch("optim", "sum_squares_partial", global: [groupCount * group], local: [group], [
                .tensor(tensor), .size(tensor.count), .tensor(partials), .size(first), .local(bytes: 4 * group),
            ])
            first += groupCount
        }
        try launch("optim", "norm_finish", global: [group], local: [group], [
            .tensor(partials), .size(first), .tensor(norm), .local(bytes: 4 * group),
        ])
    }

    public func scale(_ tensors: [Tensor], by factor: Float) throws {
        try checkNormArguments("scale", tensors, norm: nil)
        for tensor in tensors {
            try launchUpdate("scale_in_place", tensor, [.tensor(tensor), .size(tensor.count), .float(factor)])
        }
    }

    public func clipByGlobalNorm(_ tensors: [Tensor], maxNorm: Float, norm: Tensor) throws {
        try globalNorm(tensors, into: norm)
        for tensor in tensors {
            try launchUpdate("clip_scale", tensor, [
                .tensor(tensor), .size(tensor.count), .tensor(norm), .float(maxNorm), .float(clipNormEpsilon),
            ])
        }
    }

    /// The work-group size of the tree reductions: a power of two, at most 256.
    private var reductionGroupSize: Int {
        var size = 256
        while size > info.maxWorkGroupSize { size /= 2 }
        return size
    }

    /// One work-item per element of `tensor`.
    private func launchUpdate(_ kernel: String, _ tensor: Tensor, _ arguments: [KernelArgument]) throws {
        try checkKernelIndexRange(tensor.count, op: kernel)
        try launch1D("optim", kernel, count: tensor.count, arguments)
    }
}

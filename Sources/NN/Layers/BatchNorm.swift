import Backend

/// Batch normalization over the channel dimension (dimension 1) of `[N, C]` (1d) or
/// `[N, C, H, W]` (2d) inputs: batch statistics while training, running statistics in evaluation.
public final class BatchNorm: Layer {
    public let kind: String
    /// Per-channel scale, `[C]`.
    public let gamma: Variable
    /// Per-channel shift, `[C]`.
    public let beta: Variable
    /// Running mean and (unbiased) variance used in evaluation, `[C]`.
    public let runningMean: Variable
    public let runningVariance: Variable
    public let momentum: Float
    public let epsilon: Float

    /// - Parameters:
    ///   - channels: C.
    ///   - spatial: true for `[N, C, H, W]` inputs (BatchNorm2d), false for `[N, C]`.
    public init(channels: Int, spatial: Bool, momentum: Float = 0.1, epsilon: Float = 1e-5, on device: any Device) throws {
        guard channels > 0 else {
            throw BackendError.invalidArgument(op: "BatchNorm", detail: "channels must be positive, got \(channels)")
        }
        kind = spatial ? "batchnorm2d" : "batchnorm1d"
        gamma = Variable(try Tensor(repeating: 1, shape: [channels], on: device), requiresGrad: true, name: "gamma")
        beta = Variable(try Tensor(repeating: 0, shape: [channels], on: device), requiresGrad: true, name: "beta")
        runningMean = Variable(try Tensor(repeating: 0, shape: [channels], on: device), name: "running_mean")
        runningVariance = Variable(try Tensor(repeating: 1, shape: [channels], on: device), name: "running_var")
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public var parameters: [Variable] { [gamma, beta] }
    public var buffers: [Variable] { [runningMean, runningVariance] }
    private var channels: Int { gamma.shape[0] }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.first == channels else {
            throw BackendError.shapeMismatch(op: kind, detail: "input \(inputShape) for \(channels) channels")
        }
        return inputShape
    }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        try forward(input, relu: false, tape: tape)
    }

    /// `forward` followed by ReLU; in training one fused op each way (`Tape.batchNorm`'s `relu`).
    public func forwardReLU(_ input: Variable, tape: Tape) throws -> Variable {
        try forward(input, relu: true, tape: tape)
    }

    private func forward(_ input: Variable, relu: Bool, tape: Tape) throws -> Variable {
        guard input.shape.count >= 2, input.shape[1] == channels else {
            throw BackendError.shapeMismatch(op: kind, detail: "input \(input.shape) for \(channels) channels")
        }
        let batch = input.shape[0]
        let spatialSize = input.value.count / max(batch * channels, 1)
        if tape.isTraining {
            let result = try tape.batchNorm(input, gamma: gamma, beta: beta, epsilon: epsilon, relu: relu)
            try updateRunningStatistics(mean: result.mean, variance: result.variance, count: Float(batch * spatialSize))
            return result.output
        }
        if relu { return try tape.apply(.relu, forward(input, relu: false, tape: tape)) }
        let x = try tape.reshape(input, to: [batch, channels, spatialSize])
        let perChannel = [1, channels, 1]
        let mean = Variable(try runningMean.value.reshaped(perChannel))
        let variance = Variable(try runningVariance.value.reshaped(perChannel))
        let normalized = try tape.div(tape.sub(x, mean), tape.apply(.sqrt, tape.addScalar(variance, epsilon)))
        let scaled = try tape.add(
            tape.mul(normalized, tape.reshape(gamma, to: perChannel)), tape.reshape(beta, to: perChannel))
        return try tape.reshape(scaled, to: input.shape)
    }

    /// running = (1 − momentum) · running + momentum · batch, with the unbiased batch variance.
    private func updateRunningStatistics(mean: Tensor, variance: Tensor, count: Float) throws {
        let device = mean.device
        let unbiased = count > 1 ? count / (count - 1) : 1
        for (running, batchValue, factor) in [
            (runningMean.value, mean, momentum), (runningVariance.value, variance, momentum * unbiased),
        ] {
            let update = try Tensor(uninitializedShape: [channels], on: device)
            try device.binaryScalar(.mul, batchValue.reshaped([channels]), scalar: factor, scalarFirst: false, into: update)
            try device.binaryScalar(.mul, running, scalar: 1 - momentum, scalarFirst: false, into: running)
            try device.binary(.add, running, update, into: running)
        }
    }
}

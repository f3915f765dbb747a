import Backend

/// Random inputs of one `ConvCase`: input, weight, bias and upstream gradient.
public typealias ConvValues = (x: [Float], w: [Float], b: [Float], upstream: [Float])

extension ConvCase {
    /// `conv2d` (then `activation`) of the values on `device`, into a NaN-poisoned output.
    public func runForward(_ values: ConvValues, activation: UnaryOp? = nil, on device: any Device) throws -> [Float] {
        let output = try poisonedTensor(outputShape, on: device)
        try device.conv2d(
            Tensor(values.x, shape: input, on: device), weight: Tensor(values.w, shape: weightShape, on: device),
            bias: hasBias ? Tensor(values.b, shape: [filters], on: device) : nil, activation: activation, descriptor,
            into: output)
        return try output.toArray()
    }

    /// `conv2dBackwardInput` of the values on `device`, into a NaN-poisoned gradient.
    public func runBackwardInput(_ values: ConvValues, on device: any Device) throws -> [Float] {
        let gradInput = try poisonedTensor(input, on: device)
        try device.conv2dBackwardInput(
            gradOutput: Tensor(values.upstream, shape: outputShape, on: device),
            weight: Tensor(values.w, shape: weightShape, on: device), descriptor, into: gradInput)
        return try gradInput.toArray()
    }

    /// `conv2dBackwardWeight` of the values on `device`, into a NaN-poisoned gradient.
    public func runBackwardWeight(_ values: ConvValues, on device: any Device) throws -> [Float] {
        let gradWeight = try poisonedTensor(weightShape, on: device)
        try device.conv2dBackwardWeight(
            gradOutput: Tensor(values.upstream, shape: outputShape, on: device), input: Tensor(values.x, shape: input, on: device),
            descriptor, into: gradWeight, accumulate: false)
        return try gradWeight.toArray()
    }

    /// `conv2dBackwardBias` of the values on `device`, into a NaN-poisoned gradient.
    public func runBackwardBias(_ values: ConvValues, on device: any Device) throws -> [Float] {
        let gradBias = try poisonedTensor([filters], on: device)
        try device.conv2dBackwardBias(
            gradOutput: Tensor(values.upstream, shape: outputShape, on: device), into: gradBias, accumulate: false)
        return try gradBias.toArray()
    }
}

/// Every output of one case on one device: forward, the three gradients.
public struct ConvOutputs {
    /// `conv2d`'s output.
    public var output: [Float]
    /// The gradient with respect to the input.
    public var gradInput: [Float]
    /// The gradient with respect to the weight.
    public var gradWeight: [Float]
    /// The gradient with respect to the bias.
    public var gradBias: [Float]

    /// Runs all four ops on `device` with the case's values from `seed`.
    public init(_ convCase: ConvCase, on device: any Device, seed: UInt64) throws {
        let values = convCase.values(seed: seed)
        output = try convCase.runForward(values, on: device)
        gradInput = try convCase.runBackwardInput(values, on: device)
        gradWeight = try convCase.runBackwardWeight(values, on: device)
        gradBias = try convCase.runBackwardBias(values, on: device)
    }
}

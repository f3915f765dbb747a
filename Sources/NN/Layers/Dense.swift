import Backend

/// A fully connected layer: `activation(x · weight + bias)`, weight of shape `[inputs, outputs]`.
public final class Dense: Layer {
    public let kind = "dense"
    /// `[inputs, outputs]`.
    public let weight: Variable
    /// `[outputs]`, or nil without bias.
    public let bias: Variable?
    /// Applied after the bias, fused into the same step.
    public let activation: UnaryOp?

    /// A layer with weights drawn by `initializer` from the counter-based generator at `seed`.
    public init(
        inputs: Int, outputs: Int, activation: UnaryOp? = nil, useBias: Bool = true,
        initializer: Initializer = .glorotUniform, seed: UInt64, on device: any Device
    ) throws {
        guard inputs > 0, outputs > 0 else {
            throw BackendError.invalidArgument(op: "Dense", detail: "inputs (\(inputs)) and outputs (\(outputs)) must be positive")
        }
        weight = Variable(
            try initializer.tensor(shape: [inputs, outputs], fanIn: inputs, fanOut: outputs, seed: seed, on: device),
            requiresGrad: true, name: "weight")
        bias = useBias
            ? Variable(try Tensor(repeating: 0, shape: [outputs], on: device), requiresGrad: true, name: "bias")
            : nil
        self.activation = activation
    }

    public var parameters: [Variable] { [weight] + (bias.map { [$0] } ?? []) }

    /// `[outputs]` for samples of `[inputs]`; samples of several dimensions whose last is
    /// `inputs` (a sequence of feature vectors) keep their leading dimensions: the layer acts on
    /// each vector.
    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        if inputShape.count > 1, inputShape.last == weight.shape[0] { return inputShape.dropLast() + [weight.shape[1]] }
        guard Tensor.elementCount(inputShape) == weight.shape[0] else {
            throw BackendError.shapeMismatch(op: "Dense", detail: "input of \(inputShape) for a layer with \(weight.shape[0]) inputs")
        }
        return [weight.shape[1]]
    }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        guard input.shape.count > 2, input.shape.last == weight.shape[0] else {
            return try tape.linear(input, weight: weight, bias: bias, activation: activation)
        }
        // Every vector of every sample is one row of the product.
        let rows = try tape.reshape(input, to: [input.value.count / weight.shape[0], weight.shape[0]])
        let result = try tape.linear(rows, weight: weight, bias: bias, activation: activation)
        return try tape.reshape(result, to: input.shape.dropLast() + [weight.shape[1]])
    }
}

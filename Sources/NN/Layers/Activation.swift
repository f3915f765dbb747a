import Backend

/// An elementwise activation (ReLU, leaky ReLU, sigmoid, tanh, GELU) as a layer.
public final class Activation: Layer {
    /// The function applied.
    public let function: UnaryOp

    public init(_ function: UnaryOp) {
        self.function = function
    }

    public var kind: String { function.description }
    public var parameters: [Variable] { [] }
    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        try tape.apply(function, input)
    }
}

/// Softmax over the last dimension as a layer (for outputs read as probabilities; train with
/// the cross-entropy loss on the logits instead).
public final class Softmax: Layer {
    public let kind = "softmax"
    public init() {}
    public var parameters: [Variable] { [] }
    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        try tape.softmax(input, axis: -1)
    }
}

/// Folds every dimension but the batch into one.
public final class Flatten: Layer {
    public let kind = "flatten"
    public init() {}
    public var parameters: [Variable] { [] }
    public func outputShape(for inputShape: [Int]) throws -> [Int] { [Tensor.elementCount(inputShape)] }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        let batch = input.shape.first ?? 1
        return try tape.reshape(input, to: [batch, input.value.count / max(batch, 1)])
    }
}

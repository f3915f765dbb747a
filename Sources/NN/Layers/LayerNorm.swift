import Backend

/// Layer normalization over the last dimension: each row is centred, divided by its standard
/// deviation (biased, plus `epsilon`), then scaled by `gamma` and shifted by `beta` (PyTorch's
/// `LayerNorm(features)`). The same in training and evaluation; one fused op each way
/// (`Tape.layerNorm`).
public final class LayerNorm: Layer {
    public let kind = "layernorm"
    /// Per-feature scale and shift, `[features]`.
    public let gamma: Variable
    public let beta: Variable
    public let epsilon: Float

    public init(features: Int, epsilon: Float = 1e-5, on device: any Device) throws {
        guard features > 0 else {
            throw BackendError.invalidArgument(op: "LayerNorm", detail: "features must be positive, got \(features)")
        }
        gamma = Variable(try Tensor(repeating: 1, shape: [features], on: device), requiresGrad: true, name: "weight")
        beta = Variable(try Tensor(repeating: 0, shape: [features], on: device), requiresGrad: true, name: "bias")
        self.epsilon = epsilon
    }

    public var parameters: [Variable] { [gamma, beta] }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.last == gamma.shape[0] else {
            throw BackendError.shapeMismatch(op: kind, detail: "samples of \(inputShape) for \(gamma.shape[0]) features (the last dimension)")
        }
        return inputShape
    }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        let features = gamma.shape[0]
        guard input.shape.last == features else {
            throw BackendError.shapeMismatch(op: kind, detail: "input \(input.shape) for \(features) features (the last dimension)")
        }
        return try tape.layerNorm(input, gamma: gamma, beta: beta, epsilon: epsilon)
    }
}

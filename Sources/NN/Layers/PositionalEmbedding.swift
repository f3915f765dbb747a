import Backend

/// A learned vector per position added to a `[batch, steps, features]` sequence: `x + weight`,
/// weight `[steps, features]` drawn from a normal distribution of deviation 0.02. Sequences must
/// have exactly `steps` steps (pad them to one length).
public final class PositionalEmbedding: Layer {
    public let kind = "positional_embedding"
    /// `[steps, features]`.
    public let weight: Variable

    public init(steps: Int, features: Int, seed: UInt64, on device: any Device) throws {
        guard steps > 0, features > 0, !steps.multipliedReportingOverflow(by: features).overflow else {
            throw BackendError.invalidArgument(op: "PositionalEmbedding", detail: "steps (\(steps)) and features (\(features)) must be positive")
        }
        let table = try Tensor(uninitializedShape: [steps, features], on: device)
        try device.normal(table, mean: 0, standardDeviation: 0.02, stream: RandomStream(seed: seed))
        weight = Variable(table, requiresGrad: true, name: "weight")
    }

    public var parameters: [Variable] { [weight] }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape == weight.shape else {
            throw BackendError.shapeMismatch(op: kind, detail: "samples of \(inputShape) for positions of \(weight.shape) ([steps, features])")
        }
        return inputShape
    }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        guard input.shape.count == 3, Array(input.shape.dropFirst()) == weight.shape else {
            throw BackendError.shapeMismatch(op: kind, detail: "input \(input.shape) for positions of \(weight.shape) ([steps, features])")
        }
        return try tape.add(input, weight)
    }
}

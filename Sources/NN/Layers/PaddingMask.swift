import Backend

/// The padding mask of a batch of token ids: `[batch, steps]` ids (stored as Float) give
/// `[batch, steps]` of 1 for a real token and 0 where the id is `paddingID`. Feeds the mask
/// input of attention and sequence pooling in a graph; it has no parameters and no gradient.
public final class PaddingMask: Layer {
    public let kind = "padding_mask"
    public let paddingID: Int

    public init(paddingID: Int = 0) { self.paddingID = paddingID }

    public var parameters: [Variable] { [] }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 1 else {
            throw BackendError.shapeMismatch(op: kind, detail: "samples of \(inputShape); it reads [steps] token ids")
        }
        return inputShape
    }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        let device = input.device
        // min(|id − paddingID|, 1): 0 for padding, 1 for every other whole id.
        let mask = try Tensor(uninitializedShape: input.shape, on: device)
        try device.binaryScalar(.sub, input.value, scalar: Float(paddingID), scalarFirst: false, into: mask)
        try device.unary(.abs, mask, into: mask)
        try device.binaryScalar(.min, mask, scalar: 1, scalarFirst: false, into: mask)
        return Variable(mask)
    }
}

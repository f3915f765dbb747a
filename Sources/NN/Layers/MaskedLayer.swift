import Backend

/// A layer over `[batch, steps, features]` sequences that can also read which steps are padding:
/// a `[batch, steps]` mask, 1 for a real step and 0 for padding (the opposite of PyTorch's
/// `key_padding_mask`, where `True` marks padding). In a `Graph` such a layer's node may have a
/// second input, the mask; without one every step counts.
public protocol MaskedLayer: Layer {
    /// Runs the layer on a batch, with the padding `mask` when there is one.
    func forward(_ input: Variable, mask: Variable?, tape: Tape) throws -> Variable
}

extension MaskedLayer {
    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        try forward(input, mask: nil, tape: tape)
    }

    /// Checks that `mask` is `[batch, steps]` for an input of `[batch, steps, ...]`.
    func checkMask(_ mask: Variable?, for input: Variable) throws {
        guard let mask else { return }
        guard input.shape.count >= 2, mask.value.count == input.shape[0] * input.shape[1] else {
            throw BackendError.shapeMismatch(
                op: kind, detail: "a padding mask of shape \(mask.shape) for an input of shape \(input.shape); it must be [batch, steps]")
        }
    }
}

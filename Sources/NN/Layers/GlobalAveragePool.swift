import Backend

/// The mean of each channel over its whole plane: `[N, C, H, W]` → `[N, C]` (PyTorch's
/// `AdaptiveAvgPool2d(1)` followed by a flatten), the head of ResNet-style models.
public final class GlobalAveragePool2D: Layer {
    public let kind = "globalavgpool2d"
    public init() {}
    public var parameters: [Variable] { [] }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw BackendError.shapeMismatch(op: kind, detail: "samples must be [channels, height, width], got \(inputShape)")
        }
        return [inputShape[0]]
    }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        guard input.shape.count == 4 else {
            throw BackendError.shapeMismatch(op: kind, detail: "input must be [N, C, H, W], got \(input.shape)")
        }
        let (batch, channels, plane) = (input.shape[0], input.shape[1], input.shape[2] * input.shape[3])
        let sums = try tape.sum(tape.reshape(input, to: [batch, channels, plane]), axis: 2)
        return try tape.reshape(tape.scale(sums, by: 1 / Float(max(plane, 1))), to: [batch, channels])
    }
}

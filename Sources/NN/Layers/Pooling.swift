import Backend

/// 2-d max pooling over `[N, C, H, W]` inputs.
public final class MaxPool2D: Layer {
    public let kind = "maxpool2d"
    public let descriptor: Pool2DDescriptor

    /// Windows of `kernel × kernel`, moving by `stride` (the kernel size by default).
    public init(kernel: Int, stride: Int? = nil, padding: Int = 0) {
        descriptor = Pool2DDescriptor(kernel: kernel, stride: stride, padding: padding)
    }

    public var parameters: [Variable] { [] }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        Array(try descriptor.outputShape(for: [1] + inputShape, op: kind).dropFirst())
    }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        try tape.maxPool2d(input, descriptor)
    }
}

/// 2-d average pooling over `[N, C, H, W]` inputs.
public final class AvgPool2D: Layer {
    public let kind = "avgpool2d"
    public let descriptor: Pool2DDescriptor

    /// Windows of `kernel × kernel`, moving by `stride` (the kernel size by default).
    public init(kernel: Int, stride: Int? = nil, padding: Int = 0) {
        descriptor = Pool2DDescriptor(kernel: kernel, stride: stride, padding: padding)
    }

    public var parameters: [Variable] { [] }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        Array(try descriptor.outputShape(for: [1] + inputShape, op: kind).dropFirst())
    }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        try tape.avgPool2d(input, descriptor)
    }
}

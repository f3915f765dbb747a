import Backend

/// What the pooling layers share: no parameters, and an output shape set by the window.
public protocol PoolingLayer: Layer {
    /// The window: size, stride and padding.
    var descriptor: Pool2DDescriptor { get }
}

extension PoolingLayer {
    public var parameters: [Variable] { [] }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        Array(try descriptor.outputShape(for: [1] + inputShape, op: kind).dropFirst())
    }
}

/// 2-d max pooling over `[N, C, H, W]` inputs.
public final class MaxPool2D: PoolingLayer {
    public let kind = "maxpool2d"
    public let descriptor: Pool2DDescriptor

    /// Windows of `kernel × kernel`, moving by `stride` (the kernel size by default).
    public init(kernel: Int, stride: Int? = nil, padding: Int = 0) {
        descriptor = Pool2DDescriptor(kernel: kernel, stride: stride, padding: padding)
    }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        try tape.maxPool2d(input, descriptor)
    }
}

/// 2-d average pooling over `[N, C, H, W]` inputs.
public final class AvgPool2D: PoolingLayer {
    public let kind = "avgpool2d"
    public let descriptor: Pool2DDescriptor

    /// Windows of `kernel × kernel`, moving by `stride` (the kernel size by default).
    public init(kernel: Int, stride: Int? = nil, padding: Int = 0) {
        descriptor = Pool2DDescriptor(kernel: kernel, stride: stride, padding: padding)
    }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        try tape.avgPool2d(input, descriptor)
    }
}

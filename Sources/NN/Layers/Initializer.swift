import Backend

/// How a layer's weights are drawn. Every draw comes from the counter-based generator, so one
/// seed gives the same weights on every device.
public enum Initializer: Sendable, Equatable {
    /// Uniform in ±sqrt(6 / (fanIn + fanOut)).
    case glorotUniform
    /// Normal with standard deviation sqrt(2 / (fanIn + fanOut)).
    case glorotNormal
    /// Uniform in ±sqrt(6 / fanIn), for ReLU networks.
    case heUniform
    /// Normal with standard deviation sqrt(2 / fanIn), for ReLU networks.
    case heNormal
    /// Every weight equal to the value.
    case constant(Float)

    /// A tensor of `shape` drawn from stream `seed`.
    public func tensor(shape: [Int], fanIn: Int, fanOut: Int, seed: UInt64, on device: any Device) throws -> Tensor {
        let result = try Tensor(uninitializedShape: shape, on: device)
        let stream = RandomStream(seed: seed)
        let fanIn = Float(max(fanIn, 1))
        let fanSum = Float(max(fanIn + Float(fanOut), 1))
        switch self {
        case .glorotUniform:
            let limit = (6 / fanSum).squareRoot()
            try device.uniform(result, low: -limit, high: limit, stream: stream)
        case .glorotNormal:
            try device.normal(result, mean: 0, standardDeviation: (2 / fanSum).squareRoot(), stream: stream)
        case .heUniform:
            let limit = (6 / fanIn).squareRoot()
            try device.uniform(result, low: -limit, high: limit, stream: stream)
        case .heNormal:
            try device.normal(result, mean: 0, standardDeviation: (2 / fanIn).squareRoot(), stream: stream)
        case let .constant(value):
            try device.fill(result, value: value)
        }
        return result
    }
}

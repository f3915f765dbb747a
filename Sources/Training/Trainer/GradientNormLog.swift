/// Per-parameter gradient norms sampled during training (before clipping), for the
/// vanishing/exploding-gradient diagnosis.
public struct GradientNormLog: Sendable, Equatable {
    /// One sample: the L2 norm of each parameter's gradient at one step.
    public struct Sample: Sendable, Equatable {
        /// The epoch (from 1) and the global step (from 0) the sample was taken at.
        public let epoch: Int
        public let step: Int
        /// One norm per name in `parameterNames`.
        public let norms: [Double]
    }

    /// The trainable (not frozen) parameters' checkpoint names, in the order of each sample's norms.
    public private(set) var parameterNames: [String]
    /// The index of the top-level layer of each parameter.
    public private(set) var layerIndices: [Int]
    /// The samples in the order they were taken.
    public private(set) var samples: [Sample] = []

    /// An empty log for parameters with these names and layer indices.
    public init(parameterNames: [String] = [], layerIndices: [Int] = []) {
        self.parameterNames = parameterNames
        self.layerIndices = layerIndices
    }

    mutating func append(_ sample: Sample) {
        samples.append(sample)
    }

    /// The norm of each layer's whole gradient (√Σ of its parameters' squared norms) per sample,
    /// keyed by layer index.
    public func layerNorms() -> [Int: [Double]] {
        var result: [Int: [Double]] = [:]
        for sample in samples {
            var squares: [Int: Double] = [:]
            for (layer, norm) in zip(layerIndices, sample.norms) {
                squares[layer, default: 0] += norm * norm
            }
            for (layer, square) in squares { result[layer, default: []].append(square.squareRoot()) }
        }
        return result
    }
}

import Backend
import NN

/// A weight tensor stored as int8 values with Float32 scales: `value ≈ scale · q`, q in
/// [-127, 127] (symmetric, zero stays exactly zero).
public struct QuantizedTensor: Sendable, Equatable {
    /// The tensor's checkpoint name and shape.
    public let name: String
    public let shape: [Int]
    /// The quantized values, row-major.
    public let values: [Int8]
    /// One scale per tensor, or one per output channel along `channelAxis`.
    public let scales: [Float]
    /// The axis the scales run along, or nil for one scale.
    public let channelAxis: Int?

    /// Bytes stored: one per value plus four per scale.
    public var byteCount: Int { values.count + 4 * scales.count }

    /// The Float32 values the int8 ones stand for.
    public func dequantized() -> [Float] {
        guard let channelAxis else { return values.map { Float($0) * scales[0] } }
        let split = AxisSplit(shape: shape, channelAxis: channelAxis)
        return values.indices.map { Float(values[$0]) * scales[split.channel(of: $0)] }
    }
}

/// A model's weights quantized to int8; biases and normalization parameters and buffers stay
/// Float32.
public struct QuantizedModel: Sendable, Equatable {
    /// The int8 tensors (weight matrices and kernels).
    public let quantized: [QuantizedTensor]
    /// The tensors kept in Float32.
    public let kept: [NamedArray]

    /// Bytes of the quantized model.
    public var byteCount: Int { quantized.reduce(0) { $0 + $1.byteCount } + kept.reduce(0) { $0 + 4 * $1.values.count } }

    /// Writes the dequantized weights (and the kept tensors) into `model`, to evaluate the
    /// quantized model with the Float32 kernels.
    public func dequantize(into model: any LayerContainer) throws {
        let arrays = try quantized.map { try NamedArray(name: $0.name, shape: $0.shape, values: $0.dequantized()) } + kept
        try ModelSnapshot(arrays: arrays).restore(into: model)
    }

    /// The largest absolute difference between the original and the dequantized weights.
    public func maximumError(against snapshot: ModelSnapshot) -> Float {
        let original = Dictionary(snapshot.arrays.map { ($0.name, $0.values) }, uniquingKeysWith: { first, _ in first })
        return quantized.reduce(0) { worst, tensor in
            guard let values = original[tensor.name] else { return worst }
            return max(worst, zip(values, tensor.dequantized()).reduce(0) { max($0, abs($1.0 - $1.1)) })
        }
    }
}

/// Post-training symmetric int8 quantization of weights.
public enum Int8Quantization {
    /// One scale per tensor, or one per output channel.
    public enum Granularity: String, Sendable, Equatable, CaseIterable {
        case perTensor = "per_tensor"
        case perChannel = "per_channel"
    }

    /// Quantizes the weights of rank ≥ 2 of `model` (the model is left unchanged). Per channel,
    /// the output channel is the last axis of a dense weight `[inputs, outputs]` and the first of
    /// a convolution kernel `[filters, channels, height, width]`.
    public static func quantize(_ model: any LayerContainer, granularity: Granularity) throws -> QuantizedModel {
        var quantized: [QuantizedTensor] = []
        var kept: [NamedArray] = []
        for named in model.namedState {
            let values = try named.variable.value.toArray()
            let shape = named.variable.shape
            guard shape.count >= 2, model.parameters.contains(where: { $0 === named.variable }) else {
                kept.append(try NamedArray(name: named.name, shape: shape, values: values))
                continue
            }
            let axis: Int? = granularity == .perTensor ? nil : (Self.storesInputsByOutputs(model.namedLayers[named.layerIndex].layer) ? shape.count - 1 : 0)
            quantized.append(quantize(values, name: named.name, shape: shape, channelAxis: axis))
        }
        return QuantizedModel(quantized: quantized, kept: kept)
    }

    /// Whether the layer's weights are `[inputs, outputs]` (dense, attention's projections).
    private static func storesInputsByOutputs(_ layer: any Layer) -> Bool {
        layer is Dense || layer is MultiHeadAttention
    }

    static func quantize(_ values: [Float], name: String, shape: [Int], channelAxis: Int?) -> QuantizedTensor {
        let split = channelAxis.map { AxisSplit(shape: shape, channelAxis: $0) }
        var maxima = [Float](repeating: 0, count: split?.length ?? 1)
        for (index, value) in values.enumerated() {
            let channel = split?.channel(of: index) ?? 0
            maxima[channel] = max(maxima[channel], abs(value))
        }
        let scales = maxima.map { $0 > 0 ? $0 / 127 : 1 }
        let levels = values.enumerated().map { index, value -> Int8 in
            let q = (value / scales[split?.channel(of: index) ?? 0]).rounded()
            return Int8(max(-127, min(127, q)))
        }
        return QuantizedTensor(name: name, shape: shape, values: levels, scales: scales, channelAxis: channelAxis)
    }
}

extension AxisSplit {
    /// The index along the axis of row-major position `index`.
    func channel(of index: Int) -> Int { index / inner % length }

    /// The split of `shape` around `axis`, which the caller knows is in range.
    init(shape: [Int], channelAxis axis: Int) {
        self.init(outer: shape[..<axis].reduce(1, *), length: shape[axis], inner: shape[(axis + 1)...].reduce(1, *))
    }
}

import Foundation
import NN

/// `model-int8.safetensors`: a quantized model as a safetensors file. Each quantized tensor is
/// an `I8` tensor under its checkpoint name with its Float32 scales in `<name>.scale` (one per
/// output channel, or one), and the axis the scales run along in the metadata key
/// `<name>.channel_axis` (`none` for one scale); biases and other kept tensors are `F32` under
/// their names. The metadata key `format` is `swifttune-int8`.
extension QuantizedModel {
    /// The file's name in a run folder.
    public static let fileName = "model-int8.safetensors"
    static let formatName = "swifttune-int8"
    static let scaleSuffix = ".scale"
    static let axisSuffix = ".channel_axis"

    /// Writes the quantized model to `url`.
    public func write(to url: URL) throws {
        var metadata = ["format": Self.formatName]
        var floats = kept
        for tensor in quantized {
            metadata[tensor.name + Self.axisSuffix] = tensor.channelAxis.map(String.init) ?? "none"
            floats.append(try NamedArray(name: tensor.name + Self.scaleSuffix, shape: [tensor.scales.count], values: tensor.scales))
        }
        let int8 = try quantized.map { try NamedInt8Array(name: $0.name, shape: $0.shape, values: $0.values) }
        try SafeTensors.write(floats, int8Arrays: int8, metadata: metadata, to: url)
    }

    /// Reads a quantized model from a safetensors file; `fileName` names it in errors.
    public init(_ file: SafeTensorsFile, named fileName: String) throws {
        func fail(_ detail: String) -> TrainingError { TrainingError.incompatibleWeights(file: fileName, detail: detail) }
        var scaleNames = Set<String>()
        let tensors = try file.int8Arrays.map { array -> QuantizedTensor in
            let scaleName = array.name + Self.scaleSuffix
            guard let scales = file[scaleName] else { throw fail("int8 tensor '\(array.name)' has no scales '\(scaleName)'") }
            scaleNames.insert(scaleName)
            let axisText = file.metadata[array.name + Self.axisSuffix] ?? "none"
            let axis: Int?
            if axisText == "none" {
                axis = nil
            } else if let value = Int(axisText), array.shape.indices.contains(value) {
                axis = value
            } else {
                throw fail("metadata '\(array.name + Self.axisSuffix)' is '\(axisText)', not none or an axis of shape \(array.shape)")
            }
            let expected = axis.map { array.shape[$0] } ?? 1
            guard scales.values.count == expected else {
                throw fail("'\(scaleName)' holds \(scales.values.count) scales, the tensor of shape \(array.shape) needs \(expected)")
            }
            if let bad = scales.values.firstIndex(where: { !$0.isFinite || $0 <= 0 }) {
                throw fail("'\(scaleName)' holds \(scales.values[bad]) at element \(bad); scales must be finite and positive")
            }
            return QuantizedTensor(name: array.name, shape: array.shape, values: array.values, scales: scales.values, channelAxis: axis)
        }
        self.init(quantized: tensors, kept: file.arrays.filter { !scaleNames.contains($0.name) })
    }

    /// Puts the dequantized weights and the kept tensors into `model`; every tensor of the model
    /// must be in the file with its shape.
    public func load(into model: any LayerContainer, named fileName: String) throws {
        let arrays = try quantized.map { try NamedArray(name: $0.name, shape: $0.shape, values: $0.dequantized()) } + kept
        try ModelWeights.load(SafeTensorsFile(arrays: arrays, metadata: [:]), named: fileName, into: model, strict: true)
    }
}

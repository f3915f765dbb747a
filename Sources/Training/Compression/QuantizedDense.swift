import Backend
import NN

/// A dense layer run from its int8 weights: on a device whose tensors live in host memory (the
/// CPU path) its product is the host int8 GEMM (`Int8Gemm`); elsewhere it runs the dense
/// layer, which holds the dequantized weights. Inference only: nothing is recorded for a
/// backward pass through the int8 product.
final class QuantizedDense: Layer {
    let kind = "dense"
    /// The layer with the dequantized weights (its variables are this layer's parameters, so
    /// checkpoint names stay the same).
    let dense: Dense
    let weights: QuantizedTensor

    /// `weights` must be `dense`'s weight quantized with one scale or one per output column.
    init(_ dense: Dense, weights: QuantizedTensor) throws {
        guard weights.shape == dense.weight.shape, weights.channelAxis == nil || weights.channelAxis == 1 else {
            throw TrainingError.invalidArgument(
                op: "QuantizedDense", detail: "int8 tensor '\(weights.name)' of shape \(weights.shape) does not fit a dense weight \(dense.weight.shape)")
        }
        self.dense = dense
        self.weights = weights
    }

    var parameters: [Variable] { dense.parameters }

    func outputShape(for inputShape: [Int]) throws -> [Int] { try dense.outputShape(for: inputShape) }

    func forward(_ input: Variable, tape: Tape) throws -> Variable {
        guard input.device is any HostMemoryDevice else { return try dense.forward(input, tape: tape) }
        let (k, n) = (weights.shape[0], weights.shape[1])
        guard let batch = input.shape.first, batch * k == input.value.count else {
            throw BackendError.shapeMismatch(op: "QuantizedDense", detail: "input \(input.shape) for a layer with \(k) inputs")
        }
        let product = Int8Gemm.multiply(try input.value.toArray(), m: batch, k: k, weights.values, n: n, scales: weights.scales)
        var result = Variable(try Tensor(product, shape: [batch, n], on: input.device))
        if let bias = dense.bias { result = try tape.addBias(result, bias) }
        if let activation = dense.activation { result = try tape.apply(activation, result) }
        return result
    }
}

extension QuantizedModel {
    /// `model` with its dense layers run from their int8 weights (`QuantizedDense`), when it is a
    /// `Sequential`; other models are returned as they are (they run the dequantized weights).
    /// Load the quantized weights into `model` first (`load(into:named:)`).
    public func int8Model(_ model: any LayerContainer) throws -> any LayerContainer {
        guard let sequential = model as? Sequential else { return model }
        let byWeight = Dictionary(quantized.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let names = Dictionary(model.namedParameters.map { (ObjectIdentifier($0.variable), $0.name) }, uniquingKeysWith: { first, _ in first })
        let layers = try sequential.namedLayers.map { _, layer -> any Layer in
            guard let dense = layer as? Dense, let name = names[ObjectIdentifier(dense.weight)], let tensor = byWeight[name] else { return layer }
            return try QuantizedDense(dense, weights: tensor)
        }
        return Sequential(layers)
    }
}

import Backend
import NN

/// The layers for sequences of feature vectors (`[steps, features]` samples): attention, the
/// padding mask of token ids, pooling over the steps and positional embeddings.
extension LayerDescription {
    /// Whether the layer may read a padding mask as a second input in a graph.
    var readsMask: Bool {
        switch self {
        case .attention, .sequencePool: true
        default: false
        }
    }

    static func parseAttentionLayer(kind: String, settings: YAMLValue?, isScalar: Bool, at node: YAMLValue) throws -> LayerDescription {
        let isEmpty = settings == nil || (isScalar && (try? settings?.string()) == "")
        switch kind {
        case "attention":
            guard let settings, !isEmpty else { throw node.error("attention needs heads (`attention: 4` or `attention: {heads: 4}`)") }
            if isScalar { return .attention(heads: try settings.int(min: 1), causal: false, dropout: 0, useBias: true) }
            let fields = try settings.mapping(allowedKeys: ["heads", "causal", "dropout", "bias"])
            return .attention(
                heads: try fields.required("heads").int(min: 1), causal: try fields["causal"]?.bool() ?? false,
                dropout: try fields["dropout"]?.float(atLeast: 0, below: 1) ?? 0, useBias: try fields["bias"]?.bool() ?? true)
        case "padding_mask":
            guard let settings, !isEmpty else { return .paddingMask(paddingID: 0) }
            let fields = try settings.mapping(allowedKeys: ["padding_id"])
            return .paddingMask(paddingID: try fields["padding_id"]?.int(min: 0) ?? 0)
        case "sequence_pool":
            guard let settings, !isEmpty else { return .sequencePool(.mean) }
            let mode = isScalar ? settings : try settings.mapping(allowedKeys: ["mode"]).required("mode")
            return .sequencePool(SequencePool.Mode(rawValue: try mode.choice(SequencePool.Mode.allCases.map(\.rawValue))) ?? .mean)
        default:
            if let settings, !isEmpty { throw settings.error("positional_embedding takes no settings") }
            return .positionalEmbedding
        }
    }

    /// Builds a sequence layer for samples of `inputShape`.
    func buildAttentionLayer(inputShape: [Int], seed: UInt64, on device: any Device) throws -> any Layer {
        switch self {
        case let .paddingMask(paddingID):
            return PaddingMask(paddingID: paddingID)
        case let .sequencePool(mode):
            return SequencePool(mode)
        default:
            break
        }
        guard inputShape.count == 2 else {
            let kind = if case .attention = self { "attention" } else { "positional_embedding" }
            throw TrainingError.invalidArgument(
                op: kind, detail: "its input has shape \(inputShape), not [steps, features] (an embedding's output, or data.image_shape)")
        }
        if case let .attention(heads, causal, dropout, useBias) = self {
            return try MultiHeadAttention(
                dimension: inputShape[1], heads: heads, causal: causal, dropout: dropout, useBias: useBias, seed: seed, on: device)
        }
        return try PositionalEmbedding(steps: inputShape[0], features: inputShape[1], seed: seed, on: device)
    }
}

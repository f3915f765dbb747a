import Backend
import NN

/// One layer of a described model. Input sizes are not written: each layer takes the output
/// shape of the one before (the data's sample shape for the first).
public enum LayerDescription: Sendable, Equatable {
    /// `dense: {units, activation, initializer, bias}` or `dense: 64`.
    case dense(units: Int, activation: UnaryOp?, initializer: Initializer?, useBias: Bool)
    /// `conv2d: {filters, kernel, stride, padding, dilation, activation, initializer, bias, groups}`
    /// on `[channels, height, width]` samples.
    case conv2d(
        filters: Int, kernel: Int, stride: Int, padding: Int, dilation: Int, activation: UnaryOp?, initializer: Initializer?,
        useBias: Bool, groups: Int = 1)
    /// `maxpool2d: {kernel, stride, padding}` or `maxpool2d: 2`.
    case maxPool2D(kernel: Int, stride: Int?, padding: Int)
    /// `avgpool2d: {kernel, stride, padding}` or `avgpool2d: 2`.
    case avgPool2D(kernel: Int, stride: Int?, padding: Int)
    /// `flatten`.
    case flatten
    /// `dropout: 0.2` or `dropout: {rate: 0.2}`.
    case dropout(Float)
    /// `batchnorm` or `batchnorm: {momentum, epsilon}`: 1d after dense layers, 2d on images.
    case batchNorm(momentum: Float, epsilon: Float)
    /// `activation: relu`.
    case activation(UnaryOp)
    /// `globalavgpool2d`: each channel's mean over its plane, `[C, H, W]` → `[C]`.
    case globalAveragePool2D
    /// `layernorm` or `layernorm: {epsilon}`: normalization over the last dimension.
    case layerNorm(epsilon: Float)
    /// `attention: {heads, causal, dropout, bias}` or `attention: 4`: multi-head self-attention
    /// over `[steps, features]` samples.
    case attention(heads: Int, causal: Bool, dropout: Float, useBias: Bool)
    /// `padding_mask` or `padding_mask: {padding_id}`: 1 for each real token id, 0 for padding.
    case paddingMask(paddingID: Int)
    /// `sequence_pool: mean` or `sequence_pool: first`: `[steps, features]` → `[features]`.
    case sequencePool(SequencePool.Mode)
    /// `positional_embedding`: a learned vector added at each step.
    case positionalEmbedding

    /// The layer names a description may use.
    static let kinds = [
        "dense", "conv2d", "maxpool2d", "avgpool2d", "globalavgpool2d", "flatten", "dropout", "batchnorm", "layernorm", "activation",
    ] + attentionKinds

    /// The layers for sequences of feature vectors.
    static let attentionKinds = ["attention", "padding_mask", "sequence_pool", "positional_embedding"]

    /// Reads one list entry: a layer name, or a one-key mapping from the name to its settings.
    static func parse(_ node: YAMLValue) throws -> LayerDescription {
        if case .scalar = node.tree {
            let kind = try node.choice(kinds)
            return try parse(kind: kind, settings: nil, at: node)
        }
        guard case let .mapping(pairs, _) = node.tree, pairs.count == 1, let kind = pairs.first?.key else {
            throw node.error("expected a layer: one of \(kinds.joined(separator: ", ")), alone or with its settings (`dense: {units: 64}`)")
        }
        guard kinds.contains(kind), let settings = node.child(kind) else {
            throw (node.child(kind) ?? node).error("'\(kind)' is not a layer; expected one of \(kinds.joined(separator: ", "))")
        }
        return try parse(kind: kind, settings: settings, at: node)
    }

    /// The settings key of each layer's short form (`dense: 64` is `dense: {units: 64}`).
    private static let shortFormKeys = [
        "dense": "units", "maxpool2d": "kernel", "avgpool2d": "kernel", "dropout": "rate", "activation": "function", "attention": "heads",
        "sequence_pool": "mode",
    ]

    /// `layer` written out for the override at `path`, which sets its `kind` settings (when
    /// `deeper`, one of them): `- batchnorm` becomes `- batchnorm: {}` and `dense: 64` becomes
    /// `dense: {units: 64}`. A layer of another kind is an error naming both kinds.
    static func writtenOut(_ layer: YAMLValue, kind: String, deeper: Bool, overriding path: String) throws -> YAMLTree {
        let layerMark = layer.tree.mark
        let written: YAMLTree.Entry
        switch layer.tree {
        case let .scalar(name, _, _):
            written = YAMLTree.Entry(key: name, keyMark: layerMark, value: .scalar("", quoted: false, layerMark))
        case let .mapping(entries, _) where entries.count == 1:
            written = entries[0]
        default:
            return layer.tree
        }
        guard written.key == kind else {
            throw DescriptionError(
                file: layer.file, line: layerMark?.line, column: layerMark?.column, key: path,
                detail: "the override path does not fit: \(layer.path) is a \(written.key) layer, not \(kind)")
        }
        var settings = written.value
        if deeper, case let .scalar(text, quoted, mark) = settings {
            if text.isEmpty, !quoted {
                settings = .mapping([], mark)
            } else if let key = shortFormKeys[kind] {
                settings = .mapping([YAMLTree.Entry(key: key, keyMark: mark, value: settings)], mark)
            }
        }
        return .mapping([YAMLTree.Entry(key: kind, keyMark: written.keyMark, value: settings)], layerMark)
    }

    private static func parse(kind: String, settings: YAMLValue?, at node: YAMLValue) throws -> LayerDescription {
        let isScalar: Bool
        if let settings, case .scalar = settings.tree { isScalar = true } else { isScalar = false }
        switch kind {
        case "dense":
            guard let settings else { throw node.error("dense needs units (`dense: 64` or `dense: {units: 64}`)") }
            if isScalar { return .dense(units: try settings.int(min: 1), activation: nil, initializer: nil, useBias: true) }
            let fields = try settings.mapping(allowedKeys: ["units", "activation", "leaky_slope", "initializer", "bias"])
            return .dense(
                units: try fields.required("units").int(min: 1), activation: try activation(fields),
                initializer: try fields["initializer"].map(initializer), useBias: try fields["bias"]?.bool() ?? true)
        case "conv2d":
            guard let settings, !isScalar else { throw node.error("conv2d needs settings (`conv2d: {filters: 16, kernel: 3}`)") }
            let fields = try settings.mapping(allowedKeys: [
                "filters", "kernel", "stride", "padding", "dilation", "activation", "leaky_slope", "initializer", "bias", "groups",
            ])
            return .conv2d(
                filters: try fields.required("filters").int(min: 1), kernel: try fields.required("kernel").int(min: 1),
                stride: try fields["stride"]?.int(min: 1) ?? 1, padding: try fields["padding"]?.int(min: 0) ?? 0,
                dilation: try fields["dilation"]?.int(min: 1) ?? 1, activation: try activation(fields),
                initializer: try fields["initializer"].map(initializer), useBias: try fields["bias"]?.bool() ?? true,
                groups: try fields["groups"]?.int(min: 1) ?? 1)
        case "maxpool2d", "avgpool2d":
            let (kernel, stride, padding): (Int, Int?, Int)
            if let settings, !isScalar {
                let fields = try settings.mapping(allowedKeys: ["kernel", "stride", "padding"])
                (kernel, stride, padding) = (
                    try fields.required("kernel").int(min: 1), try fields["stride"]?.int(min: 1), try fields["padding"]?.int(min: 0) ?? 0
                )
            } else {
                (kernel, stride, padding) = (try settings?.int(min: 1) ?? 2, nil, 0)
            }
            return kind == "maxpool2d"
                ? .maxPool2D(kernel: kernel, stride: stride, padding: padding) : .avgPool2D(kernel: kernel, stride: stride, padding: padding)
        case "flatten", "globalavgpool2d":
            if let settings, !(isScalar && (try? settings.string()) == "") {
                throw settings.error("\(kind) takes no settings")
            }
            return kind == "flatten" ? .flatten : .globalAveragePool2D
        case "attention", "padding_mask", "sequence_pool", "positional_embedding":
            return try parseAttentionLayer(kind: kind, settings: settings, isScalar: isScalar, at: node)
        case "layernorm":
            guard let settings, !(isScalar && (try? settings.string()) == "") else { return .layerNorm(epsilon: 1e-5) }
            let fields = try settings.mapping(allowedKeys: ["epsilon"])
            return .layerNorm(epsilon: try fields["epsilon"]?.float(above: 0) ?? 1e-5)
        case "dropout":
            guard let settings else { throw node.error("dropout needs a rate (`dropout: 0.2`)") }
            let rate = isScalar ? settings : try settings.mapping(allowedKeys: ["rate"]).required("rate")
            return .dropout(try rate.float(atLeast: 0, below: 1))
        case "batchnorm":
            guard let settings else { return .batchNorm(momentum: 0.1, epsilon: 1e-5) }
            if isScalar {
                guard try settings.string().isEmpty else { throw settings.error("batchnorm takes a mapping of momentum and epsilon") }
                return .batchNorm(momentum: 0.1, epsilon: 1e-5)
            }
            let fields = try settings.mapping(allowedKeys: ["momentum", "epsilon"])
            return .batchNorm(
                momentum: try fields["momentum"]?.float(above: 0, atMost: 1) ?? 0.1, epsilon: try fields["epsilon"]?.float(above: 0) ?? 1e-5)
        default:
            guard let settings else { throw node.error("activation needs a function (`activation: relu`)") }
            if isScalar { return .activation(try activationFunction(settings, slope: nil)) }
            let fields = try settings.mapping(allowedKeys: ["function", "leaky_slope"])
            return .activation(try activationFunction(fields.required("function"), slope: fields["leaky_slope"]))
        }
    }

    private static let activationNames = ["relu", "leaky_relu", "sigmoid", "tanh", "gelu", "none"]

    private static func activation(_ fields: YAMLMapping) throws -> UnaryOp? {
        guard let node = fields["activation"] else { return nil }
        if try node.string() == "none" { return nil }
        return try activationFunction(node, slope: fields["leaky_slope"])
    }

    private static func activationFunction(_ node: YAMLValue, slope: YAMLValue?) throws -> UnaryOp {
        switch try node.choice(activationNames.filter { $0 != "none" }) {
        case "relu": return .relu
        case "leaky_relu": return .leakyRelu(slope: try slope?.float(above: 0) ?? 0.01)
        case "sigmoid": return .sigmoid
        case "tanh": return .tanh
        default: return .gelu
        }
    }

    private static func initializer(_ node: YAMLValue) throws -> Initializer {
        switch try node.choice(["glorot_uniform", "glorot_normal", "he_uniform", "he_normal"]) {
        case "glorot_uniform": return .glorotUniform
        case "glorot_normal": return .glorotNormal
        case "he_uniform": return .heUniform
        default: return .heNormal
        }
    }

    /// He initialization for the ReLU family, Glorot otherwise.
    static func defaultInitializer(for activation: UnaryOp?) -> Initializer {
        switch activation {
        case .relu, .leakyRelu, .gelu: .heUniform
        default: .glorotUniform
        }
    }

    /// Builds the layer for samples of `inputShape` with weights from stream `seed`.
    func build(inputShape: [Int], seed: UInt64, on device: any Device) throws -> any Layer {
        switch self {
        case let .dense(units, activation, initializer, useBias):
            // Vectors, or sequences of vectors ([steps, features]: it acts on each step).
            guard inputShape.count == 1 || inputShape.count == 2, let inputs = inputShape.last else {
                throw TrainingError.invalidArgument(
                    op: "dense", detail: "its input has shape \(inputShape); put a flatten layer before it")
            }
            return try Dense(
                inputs: inputs, outputs: units, activation: activation, useBias: useBias,
                initializer: initializer ?? Self.defaultInitializer(for: activation), seed: seed, on: device)
        case let .conv2d(filters, kernel, stride, padding, dilation, activation, initializer, useBias, groups):
            guard inputShape.count == 3 else {
                throw TrainingError.invalidArgument(
                    op: "conv2d", detail: "its input has shape \(inputShape), not [channels, height, width]; set data.image_shape")
            }
            return try Conv2D(
                inputChannels: inputShape[0], outputChannels: filters, kernel: kernel, stride: stride, padding: padding,
                dilation: dilation, activation: activation, useBias: useBias, groups: groups,
                initializer: initializer ?? Self.defaultInitializer(for: activation), seed: seed, on: device)
        case let .maxPool2D(kernel, stride, padding):
            return MaxPool2D(kernel: kernel, stride: stride, padding: padding)
        case let .avgPool2D(kernel, stride, padding):
            return AvgPool2D(kernel: kernel, stride: stride, padding: padding)
        case .flatten:
            return Flatten()
        case let .dropout(rate):
            return try Dropout(probability: rate, seed: seed)
        case let .batchNorm(momentum, epsilon):
            return try BatchNorm(
                channels: inputShape[0], spatial: inputShape.count > 1, momentum: momentum, epsilon: epsilon, on: device)
        case let .activation(function):
            return Activation(function)
        case .globalAveragePool2D:
            return GlobalAveragePool2D()
        case let .layerNorm(epsilon):
            guard let features = inputShape.last else {
                throw TrainingError.invalidArgument(op: "layernorm", detail: "its input has no dimensions")
            }
            return try LayerNorm(features: features, epsilon: epsilon, on: device)
        case .attention, .paddingMask, .sequencePool, .positionalEmbedding:
            return try buildAttentionLayer(inputShape: inputShape, seed: seed, on: device)
        }
    }
}

import Backend

/// Layers applied one after another.
public final class Sequential: LayerContainer {
    public let kind = "sequential"
    /// The layers, first to last.
    public private(set) var layers: [any Layer]

    public init(_ layers: [any Layer]) {
        self.layers = layers
    }

    /// `<index>.<kind>` for each layer, e.g. `0.dense`.
    public var namedLayers: [(name: String, layer: any Layer)] {
        layers.enumerated().map { ("\($0.offset).\($0.element.kind)", $0.element) }
    }

    public var parameters: [Variable] { layers.flatMap(\.parameters) }
    public var buffers: [Variable] { layers.flatMap(\.buffers) }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        try layers.reduce(inputShape) { try $1.outputShape(for: $0) }
    }

    public func forward(_ input: Variable, tape: Tape) throws -> Variable {
        var (output, index) = (input, 0)
        while index < layers.count {
            // An embedding that feeds an LSTM may run with it (`EmbeddedLSTM`).
            if index + 1 < layers.count, let embedding = layers[index] as? Embedding, let lstm = layers[index + 1] as? LSTM,
               let fused = try EmbeddedLSTM.forward(output, embedding: embedding, lstm: lstm, tape: tape) {
                (output, index) = (fused, index + 2)
                continue
            }
            output = try layers[index].forward(output, tape: tape)
            index += 1
        }
        return output
    }

    /// A table of layers, output shapes, parameter counts and parameter memory for samples of
    /// `inputShape` (batch dimension excluded).
    public func summary(inputShape: [Int]) throws -> String {
        var shape = inputShape
        var rows: [[String]] = []
        for (index, layer) in layers.enumerated() {
            shape = try layer.outputShape(for: shape)
            rows.append(["\(index) \(layer.kind)", "\(shape)", "\(layer.parameterCount)"])
        }
        var lines = SummaryTable.lines(header: ["layer", "output shape", "parameters"], rows: rows)
        let total = parameterCount
        lines.append("total: \(total) parameters, \(ByteCount.format(total * MemoryLayout<Float>.size))")
        return lines.joined(separator: "\n")
    }
}

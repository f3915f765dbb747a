import Backend
import NN

/// A described LSTM or GRU layer.
public struct RecurrentLayerDescription: Sendable, Equatable {
    /// Which cell.
    public enum Cell: String, Sendable, Equatable {
        case lstm
        case gru
    }

    public var cell: Cell
    /// The size of the state (and of each step's output).
    public var hidden: Int
    /// Every step's output (`[steps, hidden]`) rather than the last step's (`[hidden]`).
    public var returnSequences: Bool
    /// A learned initial state instead of zeros.
    public var learnedInitialState: Bool
}

extension LayerDescription {
    /// The layers of sequence models.
    static let sequenceKinds = ["embedding", "lstm", "gru"]

    /// Reads `embedding: {vocabulary, dimension, padding_index}`, or `lstm`/`gru` as
    /// `{hidden, return_sequences, initial_state}` or `lstm: 64`.
    static func parseSequenceLayer(kind: String, settings: YAMLValue?, isScalar: Bool, at node: YAMLValue) throws -> LayerDescription {
        if kind == "embedding" {
            guard let settings, !isScalar else {
                throw node.error("embedding needs settings (`embedding: {vocabulary: 1000, dimension: 32}`)")
            }
            let fields = try settings.mapping(allowedKeys: ["vocabulary", "dimension", "padding_index"])
            let vocabulary = try fields.required("vocabulary").int(min: 1)
            return .embedding(
                vocabulary: vocabulary, dimension: try fields.required("dimension").int(min: 1),
                paddingIndex: try fields["padding_index"]?.int(min: 0, max: vocabulary - 1))
        }
        let cell = RecurrentLayerDescription.Cell(rawValue: kind) ?? .lstm
        guard let settings else { throw node.error("\(kind) needs a hidden size (`\(kind): 64` or `\(kind): {hidden: 64}`)") }
        if isScalar {
            return .recurrent(RecurrentLayerDescription(cell: cell, hidden: try settings.int(min: 1), returnSequences: false, learnedInitialState: false))
        }
        let fields = try settings.mapping(allowedKeys: ["hidden", "return_sequences", "initial_state"])
        return .recurrent(RecurrentLayerDescription(
            cell: cell, hidden: try fields.required("hidden").int(min: 1), returnSequences: try fields["return_sequences"]?.bool() ?? false,
            learnedInitialState: try fields["initial_state"]?.choice(["zeros", "learned"]) == "learned"))
    }

    /// Builds an embedding (on samples of token ids) or a recurrent layer (on `[steps, features]`).
    func buildSequenceLayer(inputShape: [Int], seed: UInt64, on device: any Device) throws -> any Layer {
        switch self {
        case let .embedding(vocabulary, dimension, paddingIndex):
            return try Embedding(vocabulary: vocabulary, dimension: dimension, paddingIndex: paddingIndex, seed: seed, on: device)
        case let .recurrent(description):
            let kind = description.cell.rawValue
            guard inputShape.count == 2 else {
                throw TrainingError.invalidArgument(
                    op: kind, detail: "its input has shape \(inputShape), not [steps, features]; put an embedding before it, or set data.image_shape")
            }
            switch description.cell {
            case .lstm:
                return try LSTM(
                    inputs: inputShape[1], hidden: description.hidden, returnSequences: description.returnSequences,
                    learnedInitialState: description.learnedInitialState, seed: seed, on: device)
            case .gru:
                return try GRU(
                    inputs: inputShape[1], hidden: description.hidden, returnSequences: description.returnSequences,
                    learnedInitialState: description.learnedInitialState, seed: seed, on: device)
            }
        default:
            throw TrainingError.invalidArgument(op: "model", detail: "\(self) is not a sequence layer")
        }
    }
}

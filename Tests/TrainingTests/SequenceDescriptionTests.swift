import Backend
import Foundation
import NN
import Testing
@testable import Training

/// The sequence layers of a train file: attention, masks, pooling, positions, grouped convolution.
struct SequenceDescriptionTests {
    static func description(_ model: String, imageShape: String = "[8, 8]") throws -> TrainingDescription {
        try TrainingDescription.parse(
            yaml: "data: {dataset: digits, image_shape: \(imageShape)}\nmodel:\n" + model, file: "s.yaml")
    }

    static func message(_ model: String, imageShape: String = "[8, 8]") -> String {
        do {
            let description = try description(model, imageShape: imageShape)
            let shape = try JSONDecoder().decode([Int].self, from: Data(imageShape.utf8))
            _ = try TrainingRun.buildModel(description, inputShape: shape, on: CPUDevice.shared)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func theTransformerExampleBuildsWithPyTorchNamedAttentionWeights() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples/digits-transformer.yaml")
        let description = try TrainingDescription.load(url)
        let model = try TrainingRun.buildModel(description, inputShape: [8, 8], on: CPUDevice.shared)
        #expect(try model.outputShape(for: [8, 8]) == [10])
        let names = model.namedParameters.map(\.name)
        #expect(names.contains("encoder1_attn.in_proj_weight") && names.contains("encoder2_attn.out_proj.bias"))
        #expect(names.contains("positions.weight") && names.contains("encoder1_ff_in.weight"))
    }

    @Test func layersAndTheirShortForms() throws {
        let layers = try Self.description("""
              - attention: 2
              - {attention: {heads: 4, causal: true, dropout: 0.1, bias: false}}
              - positional_embedding
              - padding_mask
              - {padding_mask: {padding_id: 1}}
              - sequence_pool: first
              - sequence_pool
              - {conv2d: {filters: 4, kernel: 3, groups: 2}}

            """).model.layers
        #expect(layers == [
            .attention(heads: 2, causal: false, dropout: 0, useBias: true), .attention(heads: 4, causal: true, dropout: 0.1, useBias: false),
            .positionalEmbedding, .paddingMask(paddingID: 0), .paddingMask(paddingID: 1), .sequencePool(.first), .sequencePool(.mean),
            .conv2d(filters: 4, kernel: 3, stride: 1, padding: 0, dilation: 1, activation: nil, initializer: nil, useBias: true, groups: 2),
        ])
    }

    @Test func aMaskNodeIsTheSecondInput() throws {
        guard case let .graph(nodes) = try Self.description("""
              graph:
                - pad: {padding_mask: {}, input: input}
                - attn: {attention: 2, input: input, mask: pad}
                - pool: {sequence_pool: mean, mask: pad}

            """).model else {
            Issue.record("expected a graph")
            return
        }
        #expect(nodes.map(\.inputs) == [["input"], ["input", "pad"], ["attn", "pad"]])
    }

    @Test func mistakesSayWhatIsWrong() {
        #expect(Self.message("  graph:\n    - d: {dense: 4, mask: input}\n").contains("only attention and sequence_pool read a mask"))
        #expect(Self.message("  - attention: 3\n").contains("multiple of heads"))
        #expect(Self.message("  graph:\n    - m: {dense: 2}\n    - a: {attention: 2, input: input, mask: m}\n").contains("reads a mask of shape [8, 2]"))
        #expect(Self.message("  - attention\n").contains("attention needs heads"))
        #expect(Self.message("  - positional_embedding\n", imageShape: "[1, 8, 8]").contains("not [steps, features]"))
        #expect(Self.message("  - {sequence_pool: last}\n").contains("last"))
        #expect(Self.message("  - {conv2d: {filters: 3, kernel: 3, groups: 2}}\n", imageShape: "[4, 8, 8]").contains("groups (2) must divide"))
        #expect(Self.message("  - dense: 4\n", imageShape: "[1, 8, 8]").contains("put a flatten layer before it"))
    }
}

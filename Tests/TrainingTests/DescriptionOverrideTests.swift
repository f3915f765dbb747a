import Testing
import Training

/// Overrides by key path into the model list (`--set model[5].dense.units=16`).
@Suite struct DescriptionOverrideTests {
    static let yaml = """
        data: {dataset: digits, image_shape: [1, 8, 8]}
        model:
          - conv2d: {filters: 4, kernel: 3}
          - batchnorm
          - maxpool2d: 2
          - flatten
          - dropout: 0.1
          - dense: 10
        training: {epochs: 2}
        """

    static func model(_ overrides: [String: DescriptionValue]) throws -> [LayerDescription] {
        try TrainingDescription.parse(yaml: yaml, file: "t.yaml", overrides: overrides).model.layers
    }

    static func message(_ overrides: [String: DescriptionValue]) -> String {
        do {
            _ = try model(overrides)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func pathsReachTheSettingsOfLayersWrittenInShortForm() throws {
        let model = try Self.model([
            "model[0].conv2d.filters": .int(8), "model[1].batchnorm.momentum": .double(0.2), "model[2].maxpool2d.stride": .int(1),
            "model[4].dropout.rate": .double(0.3), "model[5].dense.units": .int(16),
        ])
        #expect(model == [
            .conv2d(filters: 8, kernel: 3, stride: 1, padding: 0, dilation: 1, activation: nil, initializer: nil, useBias: true),
            .batchNorm(momentum: 0.2, epsilon: 1e-5), .maxPool2D(kernel: 2, stride: 1, padding: 0), .flatten, .dropout(0.3),
            .dense(units: 16, activation: nil, initializer: nil, useBias: true),
        ])
        #expect(try Self.model(["model[5].dense.activation": .string("relu")])[5]
            == .dense(units: 10, activation: .relu, initializer: nil, useBias: true))
    }

    @Test(arguments: [
        ("model[2].dense.units", "t.yaml:5:5: model[2].dense.units: the override path does not fit: model[2] is a maxpool2d layer, not dense"),
        ("model[9].dense.units", "t.yaml:3:3: model[9].dense.units: the override path does not fit: model has 6 items, so there is no model[9]"),
        ("model.dense", "t.yaml:3:3: model.dense: the override path does not fit: model is a list, which has no key 'dense'"),
        ("training.epochs.x", "t.yaml:9:20: training.epochs.x: the override path does not fit: training.epochs is '2', which has no key 'x'"),
    ])
    func pathsThatDoNotFitSayWhereAndWhatIsThere(path: String, message: String) {
        #expect(Self.message([path: .int(16)]) == message)
    }
}

import Backend
import Foundation
import NN
import Testing
import Training

/// The optimizer defaults live in Backend's hyperparameter structs; a train file that leaves a
/// setting out takes them, and docs/train-file.md states them.
@Suite struct OptimizerDefaultsTests {
    /// The optimizer of a small description whose `training.optimizer` is `settings`.
    static func optimizer(_ settings: String) throws -> OptimizerDescription {
        let yaml = """
            data: {dataset: digits}
            model: [{dense: 10}]
            training: {optimizer: \(settings)}
            """
        return try TrainingDescription.parse(yaml: yaml).training.optimizer
    }

    @Test func aTrainFileWithoutThemTakesBackendDefaults() throws {
        let (beta1, beta2) = (AdamHyperparameters.defaultBeta1, AdamHyperparameters.defaultBeta2)
        #expect(try Self.optimizer("{name: rmsprop}").rule == .rmsprop(decay: RMSpropHyperparameters.defaultDecay))
        #expect(try Self.optimizer("{name: adam}").rule == .adam(beta1: beta1, beta2: beta2))
        #expect(try Self.optimizer("{name: adamw}").rule == .adamW(beta1: beta1, beta2: beta2))
    }

    @Test func theTrainFileDocumentationStatesThem() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/train-file.md")
        let text = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("`decay` (rmsprop, \(RMSpropHyperparameters.defaultDecay))"))
        #expect(text.contains(
            "`beta1` and `beta2` (adam, adamw; \(AdamHyperparameters.defaultBeta1) and \(AdamHyperparameters.defaultBeta2))"))
    }
}

import Backend
import Foundation
import NN
import Testing
import TestSupport
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

/// RMSprop's momentum and centered variant, and ε, read from train files and used in training.
@Suite struct OptimizerSettingsTests {
    @Test func rmspropMomentumCenteredAndEpsilonAreRead() throws {
        let optimizer = try OptimizerDefaultsTests.optimizer("{name: rmsprop, momentum: 0.9, centered: true, epsilon: 1.0e-6}")
        #expect(optimizer.rule == .rmsprop(decay: RMSpropHyperparameters.defaultDecay, momentum: 0.9, centered: true))
        #expect(optimizer.rule.stateNames == ["square_average", "gradient_average", "momentum_buffer"])
        #expect(try optimizer.make().epsilon == 1e-6)
        #expect(try OptimizerDefaultsTests.optimizer("{name: adamw, epsilon: 0.1}").epsilon == 0.1)
    }

    @Test(arguments: [
        ("{name: sgd, beta1: 0.8}", "sgd does not use 'beta1'"), ("{name: adam, momentum: 0.9}", "adam does not use 'momentum'"),
        ("{name: adam, centered: true}", "adam does not use 'centered'"), ("{name: sgd, epsilon: 0.1}", "sgd does not use 'epsilon'"),
        ("{momentum: 0.9}", "adam does not use 'momentum'"), ("{name: rmsprop, nesterov: true}", "rmsprop does not use 'nesterov'"),
    ])
    func aSettingTheOptimizerDoesNotUseIsAnError(settings: String, message: String) {
        do {
            _ = try OptimizerDefaultsTests.optimizer(settings)
            Issue.record("\(settings) was accepted")
        } catch {
            #expect("\(error)".contains(message))
        }
    }

    /// Momentum changes RMSprop's training: the two runs part ways (before, momentum was ignored).
    @Test(arguments: TestDevice.all)
    func rmspropMomentumChangesTraining(device: TestDevice) throws {
        func loss(_ optimizer: String) throws -> Double {
            let yaml = """
                seed: 1
                data: {dataset: digits, test: 0}
                model: [{dense: {units: 16, activation: relu}}, {dense: 10}]
                training: {epochs: 1, batch_size: 64, optimizer: \(optimizer)}
                """
            let run = try TrainingRun(TrainingDescription.parse(yaml: yaml), device: device.device)
            return try #require(run.fit().epochs.last?.trainLoss)
        }
        let plain = try loss("{name: rmsprop, momentum: 0}")
        #expect(try loss("{name: rmsprop, momentum: 0.9}") != plain)
        #expect(try loss("{name: rmsprop, centered: true}") != plain)
    }
}

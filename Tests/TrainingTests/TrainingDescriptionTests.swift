import Backend
import Foundation
import NN
import Testing
import Training

@Suite struct TrainingDescriptionTests {
    static let yaml = """
        parameters:
          hidden_units: 32
          dropout: 0.1
        seed: 3
        data:
          dataset: digits
          validation: 0.2
          test: 0.2
        model:
          - dense: {units: $hidden_units, activation: relu}
          - dropout: $dropout
          - dense: 10
        training:
          epochs: 2
          batch_size: 64
          optimizer: {name: sgd, momentum: 0.9, learning_rate: 0.05}
          schedule: {name: step, every: 1, factor: 0.5}
          early_stopping: {patience: 3}
        """

    /// The error parsing `yaml` throws.
    static func error(_ yaml: String, overrides: [String: DescriptionValue] = [:]) -> DescriptionError? {
        do {
            _ = try TrainingDescription.parse(yaml: yaml, file: "t.yaml", overrides: overrides)
            return nil
        } catch let error as DescriptionError {
            return error
        } catch {
            return DescriptionError(file: "", line: nil, column: nil, key: "", detail: "unexpected \(error)")
        }
    }

    @Test func parametersAreSubstitutedAndOverridable() throws {
        let plain = try TrainingDescription.parse(yaml: Self.yaml)
        #expect(plain.seed == 3)
        #expect(plain.model == ModelDescription.sequence([
            .dense(units: 32, activation: .relu, initializer: nil, useBias: true), .dropout(0.1),
            .dense(units: 10, activation: nil, initializer: nil, useBias: true),
        ]))
        #expect(plain.training.optimizer.rule == .sgd(momentum: 0.9, nesterov: false))
        #expect(plain.training.schedule == .schedule(.step(every: 1, factor: 0.5)))
        #expect(plain.data.validation == 0.2 && plain.data.source == .bundled(.digits))

        let tuned = try TrainingDescription.parse(yaml: Self.yaml, overrides: [
            "hidden_units": .int(64), "dropout": .double(0.3), "learning_rate": .double(0.01), "optimizer": .string("rmsprop"),
            "batch_size": .int(16), "training.early_stopping.patience": .int(7), "model[2].dense": .int(10),
        ])
        #expect(tuned.model.layers[0] == .dense(units: 64, activation: .relu, initializer: nil, useBias: true))
        #expect(tuned.model.layers[1] == .dropout(0.3))
        #expect(tuned.training.batchSize == 16)
        #expect(tuned.training.earlyStopping?.patience == 7)
        #expect(tuned.training.optimizer.learningRate == 0.01)
        #expect(tuned.training.optimizer.rule == .rmsprop(momentum: 0.9))
        #expect(Self.error(Self.yaml, overrides: ["optimizer": .string("lion")])?.key == "training.optimizer.name")
        // A setting the optimizer does not use is an error naming both.
        let unused = Self.error(Self.yaml, overrides: ["optimizer": .string("adam")])
        #expect(unused?.key == "training.optimizer.momentum" && unused?.detail.hasPrefix("adam does not use 'momentum'") == true)
    }

    @Test func errorsNameTheKeyAndTheLine() {
        let wrongType = Self.error(Self.yaml.replacingOccurrences(of: "batch_size: 64", with: "batch_size: many"))
        #expect(wrongType?.key == "training.batch_size" && wrongType?.line == 15)
        #expect(wrongType?.description.hasPrefix("t.yaml:15:") == true)

        let unknown = Self.error(Self.yaml.replacingOccurrences(of: "epochs: 2", with: "epoch: 2"))
        #expect(unknown?.key == "training.epoch" && unknown?.line == 14)
        #expect(unknown?.detail.contains("unknown key") == true)

        let badLayer = Self.error(Self.yaml.replacingOccurrences(of: "- dense: 10", with: "- dense2: 10"))
        #expect(badLayer?.key == "model[2].dense2" && badLayer?.line == 12)

        let badReference = Self.error(Self.yaml.replacingOccurrences(of: "dropout: $dropout", with: "dropout: $rate"))
        #expect(badReference?.key == "model[1].dropout" && badReference?.line == 11)

        let badValue = Self.error(Self.yaml, overrides: ["dropout": .double(1.5)])
        #expect(badValue?.key == "model[1].dropout" && badValue?.line == 11)

        let syntax = Self.error("data:\n  dataset: [digits\nmodel: []\n")
        #expect(syntax?.line != nil && syntax?.detail.contains("YAML syntax") == true)

        #expect(Self.error(Self.yaml, overrides: ["no_such_thing": .int(1)])?.key == "no_such_thing")
        let missing = Self.error("model:\n  - flatten\n")
        #expect(missing?.detail.contains("missing the key 'data'") == true)
    }

    @Test func layersThatDoNotFitTheirInputNameTheLayer() throws {
        let yaml = """
            data: {dataset: digits, image_shape: [1, 8, 8]}
            model:
              - maxpool2d: 2
              - dense: 10
            """
        let description = try TrainingDescription.parse(yaml: yaml, file: "m.yaml")
        #expect {
            try TrainingRun(description, device: CPUDevice.shared)
        } throws: { error in
            guard let error = error as? DescriptionError else { return false }
            return error.key == "model[1]" && error.line == 4 && error.detail.contains("flatten")
        }
    }

    @Test func aDescribedRunTrainsAndWritesItsFiles() throws {
        let folder = try TemporaryFolder()
        let run = try TrainingRun(TrainingDescription.parse(yaml: Self.yaml), device: CPUDevice.shared)
        #expect(run.data.train.count + (run.data.validation?.count ?? 0) + (run.data.test?.count ?? 0) == 1797)
        #expect(run.trainer.loss == .crossEntropy && run.trainer.metrics == [.accuracy])
        #expect(abs(run.baselineLoss - log(10)) < 0.01)
        try run.fit(outputFolder: folder.url)
        #expect(run.trainer.history.epochs.map { Float($0.learningRate) } == [0.05, 0.025])
        let report = try run.report()
        #expect(try #require(report.test?.metrics["accuracy"]) > 0.85)
        try run.write(report, to: folder.url)
        for name in ["history.csv", "history.json", "checkpoint.safetensors", "best.safetensors"] + TrainingRun.reportFiles(classification: true) {
            #expect(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent(name).path), "\(name)")
        }
        let classification = try #require(report.classification)
        #expect(classification.classNames.count == 10 && classification.matrix.total == run.data.test?.count)
        #expect(report.text().contains("confusion matrix:"))
        let page = try String(contentsOf: folder.url.appendingPathComponent("report.html"), encoding: .utf8)
        for heading in ["Curves", "Learning rate", "Gradient norms", "Confusion matrix", "Diagnosis"] {
            #expect(page.contains("<h2>\(heading)</h2>"), "\(heading)")
        }
        let confusion = try String(contentsOf: folder.url.appendingPathComponent("confusion_matrix.csv"), encoding: .utf8)
        #expect(confusion.split(separator: "\n").count == 11)
    }

    @Test(arguments: ["digits-mlp", "digits-cnn", "breast-cancer", "diabetes"])
    func theExamplesParse(name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/\(name).yaml")
        let description = try TrainingDescription.load(url)
        #expect(!description.model.layers.isEmpty)
    }
}

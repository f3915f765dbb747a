import Backend
import Foundation
import NN
import TestSupport
import Testing
@testable import Training

/// `init`, `freeze`, `trainable: false` and `fine_tune` in training descriptions.
struct TransferLearningTests {
    /// A small CNN on the digits; `head` and `hidden` vary the layers a new model changes.
    static func yaml(hidden: Int = 16, extra: String = "", convSettings: String = "") -> String {
        """
        seed: 3
        data: {dataset: digits, image_shape: [1, 8, 8], validation: 0.2, test: 0}
        model:
          - conv2d: {filters: 4, kernel: 3, padding: 1, activation: relu\(convSettings)}
          - maxpool2d: 2
          - flatten
          - dense: {units: \(hidden), activation: relu}
          - dense: {units: 10}
        training: {epochs: 1, batch_size: 64, optimizer: {name: adam, learning_rate: 0.01}}
        \(extra)
        """
    }

    static func description(_ yaml: String, folder: TemporaryFolder) throws -> TrainingDescription {
        try TrainingDescription.parse(yaml: yaml, file: "t.yaml", baseFolder: folder.url)
    }

    /// Trains the base description one epoch and saves its weights as `base.safetensors`.
    static func baseWeights(in folder: TemporaryFolder, on device: any Device) throws -> TrainingRun {
        let run = try TrainingRun(description(yaml(), folder: folder), device: device)
        try run.fit()
        try ModelWeights.save(run.trainer.model, to: folder.url.appendingPathComponent("base.safetensors"))
        return run
    }

    static func values(_ model: any LayerContainer, prefix: String) throws -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        for named in model.namedParameters where named.name.hasPrefix(prefix) { result[named.name] = try named.variable.value.toArray() }
        return result
    }

    @Test func strictLoadingListsEveryMismatchWithBothSides() throws {
        let folder = try TemporaryFolder()
        _ = try Self.baseWeights(in: folder, on: CPUDevice.shared)
        let description = try Self.description(Self.yaml(hidden: 24, extra: "init: {weights: base.safetensors}"), folder: folder)
        do {
            _ = try TrainingRun(description, device: CPUDevice.shared)
            Issue.record("a model with other shapes loaded strictly")
        } catch let error as DescriptionError {
            let text = "\(error)"
            #expect(text.hasPrefix("t.yaml:10:17: init.weights:"))
            #expect(text.contains("'3.dense.weight' has shape [64, 16] in the file and [64, 24] in the model"))
            #expect(text.contains("'3.dense.bias' has shape [16] in the file and [24] in the model"))
            #expect(text.contains("'4.dense.weight' has shape [16, 10] in the file and [24, 10] in the model"))
            #expect(!text.contains("0.conv2d"))
        }
    }

    @Test(arguments: TestDevice.all)
    func looseLoadingKeepsWhatFitsAndInitialisesTheRestFresh(device: TestDevice) throws {
        let folder = try TemporaryFolder()
        let base = try Self.baseWeights(in: folder, on: device.device)
        let fresh = try TrainingRun(Self.description(Self.yaml(hidden: 24), folder: folder), device: device.device)
        let run = try TrainingRun(
            Self.description(Self.yaml(hidden: 24, extra: "init: {weights: base.safetensors, strict: false}"), folder: folder),
            device: device.device)
        let report = try #require(run.transfer.initialWeights)
        // The head's bias has the same shape in both models.
        #expect(report.loaded == ["0.conv2d.weight", "0.conv2d.bias", "4.dense.bias"])
        #expect(report.fresh.map(\.name) == ["3.dense.weight", "3.dense.bias", "4.dense.weight"])
        #expect(report.fresh[0].reason == "file [64, 16], model [64, 24]")
        #expect(report.unused.isEmpty)
        #expect(try Self.values(run.trainer.model, prefix: "0.") == Self.values(base.trainer.model, prefix: "0."))
        // Tensors that do not fit keep the initialisation the seed gives them.
        #expect(try Self.values(run.trainer.model, prefix: "3.") == Self.values(fresh.trainer.model, prefix: "3."))
    }

    @Test func excludedLayersStayFreshEvenWhenTheyFit() throws {
        let folder = try TemporaryFolder()
        _ = try Self.baseWeights(in: folder, on: CPUDevice.shared)
        let run = try TrainingRun(
            Self.description(Self.yaml(extra: "init: {weights: base.safetensors, exclude: [4.dense]}"), folder: folder),
            device: CPUDevice.shared)
        let report = try #require(run.transfer.initialWeights)
        #expect(report.fresh == [FreshTensor(name: "4.dense.weight", reason: "excluded"), FreshTensor(name: "4.dense.bias", reason: "excluded")])
        // The run's report keeps where its weights came from.
        try run.fit()
        #expect(try run.report().modelSummary.contains("\ninitialised fresh: 4.dense.weight (excluded), 4.dense.bias (excluded)"))
    }

    @Test func aMissingWeightFileIsAnErrorAtTheKey() throws {
        let folder = try TemporaryFolder()
        let description = try Self.description(Self.yaml(extra: "init: {weights: nothing.safetensors}"), folder: folder)
        #expect(throws: DescriptionError.self) { try TrainingRun(description, device: CPUDevice.shared) }
    }

    @Test func layersAreFrozenByIndexNameRangePrefixAndTrainableFalse() throws {
        let folder = try TemporaryFolder()
        func frozen(_ yaml: String) throws -> [Int] {
            try TrainingRun(Self.description(yaml, folder: folder), device: CPUDevice.shared).transfer.frozenLayers
        }
        #expect(try frozen(Self.yaml(extra: "freeze: [0]")) == [0])
        #expect(try frozen(Self.yaml(extra: "freeze: [3.dense]")) == [3])
        #expect(try frozen(Self.yaml(extra: "freeze: [\"0..3\"]")) == [0, 1, 2, 3])
        #expect(try frozen(Self.yaml(extra: "freeze: [\"0.conv2d..3.dense\"]")) == [0, 1, 2, 3])
        #expect(try frozen(Self.yaml(extra: "freeze: [\"4*\"]")) == [4])
        #expect(try frozen(Self.yaml(convSettings: ", trainable: false")) == [0])
        #expect(try frozen(Self.yaml().replacingOccurrences(of: "- dense: {units: 10}", with: "- {dense: 10, trainable: false}")) == [4])
        #expect(try frozen(Self.yaml(convSettings: ", trainable: true")).isEmpty)
        let run = try TrainingRun(Self.description(Self.yaml(extra: "freeze: [0, 3]"), folder: folder), device: CPUDevice.shared)
        #expect(run.trainer.model.trainableParameterCount == 16 * 10 + 10)
        #expect(throws: DescriptionError.self) { try frozen(Self.yaml(extra: "freeze: [head]")) }
        do {
            _ = try frozen(Self.yaml(extra: "freeze: [7]"))
        } catch {
            #expect("\(error)" == "t.yaml:10:10: freeze[0]: there is no layer 7; the model's layers are 0: 0.conv2d, 1: 1.maxpool2d, 2: 2.flatten, 3: 3.dense, 4: 4.dense")
        }
    }

    @Test func graphNodesFreezeByNameAndInsideRepeatedBlocks() throws {
        let yaml = """
            data: {dataset: digits, image_shape: [1, 8, 8]}
            model:
              graph:
                - stem: {conv2d: {filters: 4, kernel: 3, padding: 1, activation: relu, trainable: false}}
                - res:
                    repeat: 2
                    nodes:
                      - conv: {conv2d: {filters: 4, kernel: 3, padding: 1, trainable: false}}
                      - sum: {add: [input, conv]}
                - pool: globalavgpool2d
                - head: {dense: 10}
                - out: {dense: 10, trainable: false}
            """
        let run = try TrainingRun(TrainingDescription.parse(yaml: yaml, file: "g.yaml"), device: CPUDevice.shared)
        let names = run.trainer.model.namedLayers.map(\.name)
        #expect(run.transfer.frozenLayers.map { names[$0] } == ["stem", "res1_conv", "res2_conv", "out"])
        #expect(run.trainer.model.trainableParameterCount == 4 * 10 + 10)
    }

    @Test(arguments: TestDevice.all)
    func fineTuningTrainsTheHeadFirstThenEverythingWithFreshOptimizerState(device: TestDevice) throws {
        let folder = try TemporaryFolder()
        _ = try Self.baseWeights(in: folder, on: device.device)
        let yaml = Self.yaml(extra: """
            init: {weights: base.safetensors, exclude: [4]}
            fine_tune: {unfreeze_after_epochs: 1, learning_rate: 0.0005}
            """).replacingOccurrences(of: "{epochs: 1,", with: "{epochs: 2,")
        let run = try TrainingRun(Self.description(yaml, folder: folder), device: device.device)
        // The base (every layer the file filled) is frozen, the excluded head is not.
        #expect(run.transfer.frozenLayers == [0, 3])
        let base = try Self.values(run.trainer.model, prefix: "0.")
        let options = run.fitOptions
        let callbacks = try run.callbacks(outputFolder: nil, progress: nil)
        try run.trainer.fit(run.data.train, validation: .dataset(try #require(run.data.validation)), options: FitOptions(
            epochs: 1, batchSize: options.batchSize, seed: options.seed), callbacks: callbacks)
        #expect(try Self.values(run.trainer.model, prefix: "0.") == base)
        #expect(run.trainer.optimizer.learningRate == 0.01)
        try run.trainer.fit(run.data.train, validation: .dataset(try #require(run.data.validation)), options: options, callbacks: callbacks)
        #expect(try Self.values(run.trainer.model, prefix: "0.") != base)
        #expect(run.trainer.history.epochs.map(\.learningRate) == [Double(Float(0.01)), Double(Float(0.0005))])
        // The optimizer started afresh at the second phase: its step count is one epoch's.
        let batches = (run.data.train.count + 63) / 64
        #expect(run.trainer.optimizer.stepCount == batches)
        #expect(run.trainer.model.trainableParameterCount == run.trainer.model.parameters.reduce(0) { $0 + $1.value.count })
    }

    @Test func fineTuneNeedsSomethingToUnfreezeAndNoPlateauSchedule() throws {
        let folder = try TemporaryFolder()
        #expect(throws: DescriptionError.self) {
            try Self.description(Self.yaml(extra: "fine_tune: {unfreeze_after_epochs: 1, learning_rate: 0.001}"), folder: folder)
        }
        let plateau = Self.yaml(extra: "freeze: [0]\nfine_tune: {unfreeze_after_epochs: 1, learning_rate: 0.001}")
            .replacingOccurrences(of: "learning_rate: 0.01}}", with: "learning_rate: 0.01}, schedule: {name: plateau}}")
        let run = try TrainingRun(Self.description(plateau, folder: folder), device: CPUDevice.shared)
        #expect(throws: DescriptionError.self) { try run.callbacks(outputFolder: nil, progress: nil) }
    }

    /// The transfer example and its baseline differ only in where their weights start.
    @Test func theTransferExampleAndItsBaselineTrainTheSameNetworkOnTheSameSamples() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples")
        let (base, transfer, scratch) = try (
            TrainingDescription.load(examples.appendingPathComponent("digits-base.yaml")),
            TrainingDescription.load(examples.appendingPathComponent("digits-transfer.yaml")),
            TrainingDescription.load(examples.appendingPathComponent("digits-scratch.yaml")))
        #expect(transfer.model == base.model && scratch.model == base.model)
        #expect(transfer.data == scratch.data && transfer.training == scratch.training && transfer.seed == scratch.seed)
        #expect(transfer.data.selection.classes == ["5", "6", "7", "8", "9"] && base.data.selection.classes == ["0", "1", "2", "3", "4"])
        #expect(scratch.transfer == .none)
        let weights = try #require(transfer.transfer.initialWeights)
        #expect(weights.url(baseFolder: transfer.baseFolder).standardizedFileURL.path.hasSuffix("/runs/digits-base/model.safetensors"))
    }

    /// A run resumed in either phase ends with the weights of an uninterrupted one.
    @Test(arguments: [1, 2])
    func aResumedFineTuningEndsLikeAnUninterruptedOne(stopAfter: Int) throws {
        let folder = try TemporaryFolder()
        let yaml = Self.yaml(extra: "freeze: [\"0..3\"]\nfine_tune: {unfreeze_after_epochs: 1, learning_rate: 0.002}")
            .replacingOccurrences(of: "{epochs: 1,", with: "{epochs: 3,")
        let description = try Self.description(yaml, folder: folder)
        let whole = try TrainingRun(description, device: CPUDevice.shared)
        try whole.fit()
        let first = try TrainingRun(description, device: CPUDevice.shared)
        let output = folder.url.appendingPathComponent("run")
        try first.trainer.fit(
            first.data.train, validation: .dataset(try #require(first.data.validation)),
            options: FitOptions(epochs: stopAfter, batchSize: 64, seed: description.seed),
            callbacks: first.callbacks(outputFolder: output, progress: nil))
        let resumed = try TrainingRun(description, device: CPUDevice.shared)
        try resumed.trainer.restoreCheckpoint(from: output.appendingPathComponent("checkpoint.safetensors"))
        try resumed.fit(outputFolder: output)
        #expect(try Self.values(resumed.trainer.model, prefix: "") == Self.values(whole.trainer.model, prefix: ""))
        #expect(resumed.trainer.optimizer.learningRate == 0.002)
    }
}

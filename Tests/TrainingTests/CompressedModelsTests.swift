import Backend
import Foundation
import NN
import TestSupport
import Testing
@testable import Training

@Suite struct CompressedModelsTests {
    static let yaml = """
        seed: 2
        data: {dataset: digits, validation: 0.15, test: 0.15, scale: minmax}
        model:
          - dense: {units: 32, activation: relu}
          - dense: {units: 10}
        training: {epochs: 4, batch_size: 32, optimizer: {name: adam, learning_rate: 0.003}}
        compression: {prune: 0.6, quantize: per_channel, fine_tune_epochs: 2}
        """

    @Test func trainingSavesPrunedZerosAndAnInt8ModelThatPredictLoads() throws {
        let folder = try TemporaryFolder()
        let run = try TrainingRun(TrainingDescription.parse(yaml: Self.yaml), device: CPUDevice.shared)
        try run.fit()
        try run.write(try run.report(), to: folder.url)
        let trained = try ModelSnapshot(of: run.trainer.model)
        let report = try #require(try run.saveCompressedModels(to: folder.url))
        #expect(try ModelSnapshot(of: run.trainer.model) == trained, "the trainer's model is left as trained")

        let pruned = try SafeTensors.read(folder.url.appendingPathComponent(TrainingRun.prunedModelFile))
        for name in ["0.dense.weight", "1.dense.weight"] {
            let values = try #require(pruned[name]).values
            #expect(values.filter { $0 == 0 }.count == Int((0.6 * Double(values.count)).rounded()), "\(name): fine-tuning kept the zeros")
        }
        #expect(try #require(pruned["0.dense.bias"]).values != [Float](repeating: 0, count: 32))
        #expect(abs((report.pruned?.sparsity ?? 0) - 0.6) < 1e-3)
        #expect(report.fineTuneEpochs == 2)

        let int8 = try #require(report.int8)
        #expect(Double(report.float.bytes) / Double(int8.bytes) > 3)
        let floatAccuracy = try #require(report.float.metrics["accuracy"])
        let int8Accuracy = try #require(int8.metrics["accuracy"])
        #expect(abs(floatAccuracy - int8Accuracy) < 0.02, "\(floatAccuracy) float, \(int8Accuracy) int8")
        #expect((int8.samplesPerSecond ?? 0) > 0)
        let json = try String(contentsOf: folder.url.appendingPathComponent(CompressedModelsReport.fileName), encoding: .utf8)
        #expect(json.contains("\"samples_per_second\""))
        #expect(report.text.contains("model-int8.safetensors"))
    }

    @Test func preprocessingRoundTripsAndRebuildsTheDescription() throws {
        let folder = try TemporaryFolder()
        let description = try TrainingDescription.parse(yaml: Self.yaml, overrides: ["training.epochs": .int(1)])
        let run = try TrainingRun(description, device: CPUDevice.shared)
        let preprocessing = Preprocessing(run)
        try preprocessing.write(to: folder.url)
        let read = try Preprocessing.read(from: folder.url)
        #expect(read == preprocessing)
        #expect(read.inputShape == [64] && read.classNames == (0...9).map(String.init) && read.target == "digit")
        #expect(read.featureNames.count == 64 && read.scaler?.kind == "minmax")
        let rebuilt = try TrainingDescription.parse(yaml: read.description)
        #expect(rebuilt.model == description.model && rebuilt.training == description.training && rebuilt.compression == description.compression)
        #expect(rebuilt.training.epochs == 1)
    }

    @Test func regressionPredictionsComeBackInTheTargetsUnits() throws {
        let folder = try TemporaryFolder()
        let description = try TrainingDescription.parse(yaml: """
            seed: 1
            data: {dataset: diabetes, validation: 0.15, test: 0.15}
            model: [{dense: {units: 16, activation: relu}}, {dense: {units: 1}}]
            training: {epochs: 2, batch_size: 32}
            """)
        let run = try TrainingRun(description, device: CPUDevice.shared)
        try run.fit()
        try run.writeModelFolder(to: folder.url)
        let csv = try folder.write(Array("age,sex,bmi,bp,s1,s2,s3,s4,s5,s6\n59,2,32.1,101.0,157,93.2,38.0,4.0,4.8598,87\n".utf8), to: "one.csv")
        let saved = try SavedRun(folder: folder.url, device: CPUDevice.shared)
        let input = try saved.read(csv, requireLabels: false)
        let table = try PredictionTable.csv(try saved.predict(input), input: input, preprocessing: saved.preprocessing, columns: .predicted)
        let lines = table.split(separator: "\n")
        #expect(lines.first == "row,prediction")
        let predicted = try #require(Double(lines[1].split(separator: ",")[1]))
        let scaled = try run.trainer.predict(input.samples).values[0]
        let expected = try #require(run.data.targetScaler).inverseTransform([scaled])[0]
        #expect(abs(predicted - Double(expected)) < 1e-3 * max(1, abs(Double(expected))), "\(predicted) vs \(expected)")
    }

    @Test func aMalformedPreprocessingFileNamesWhatIsWrong() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write(Array(#"{"format": 1, "description": "x", "input_shape": [0]}"#.utf8), to: Preprocessing.fileName)
        #expect(throws: DataError.self) { try Preprocessing.read(from: folder.url) }
        do {
            _ = try Preprocessing.read(from: folder.url)
        } catch {
            #expect("\(error)".contains("preprocessing.json"), "\(error)")
        }
    }
}

import Foundation
import Testing
import Training

@Suite struct TrainingHistoryTests {
    static func history() -> TrainingHistory {
        var history = TrainingHistory()
        history.append(EpochRecord(
            epoch: 1, trainLoss: 0.5, validationLoss: 0.625, metrics: ["accuracy": 0.75, "val_accuracy": 0.5],
            samplesPerSecond: 1234.5, peakDeviceMemoryBytes: 4096, learningRate: 0.001, wallTimeSeconds: 1.5))
        history.append(EpochRecord(
            epoch: 2, trainLoss: .nan, metrics: ["accuracy": 0.875, "f1, macro": 0.25],
            samplesPerSecond: 1300, peakDeviceMemoryBytes: 8192, learningRate: 0.0005, wallTimeSeconds: 1.25))
        return history
    }

    @Test func csvHasOneRowPerEpochAndAColumnPerMetric() {
        let expected = """
            epoch,train_loss,validation_loss,learning_rate,samples_per_second,peak_device_memory_bytes,wall_time_seconds,accuracy,"f1, macro",val_accuracy
            1,0.5,0.625,0.001,1234.5,4096,1.5,0.75,,0.5
            2,nan,,0.0005,1300.0,8192,1.25,0.875,0.25,

            """
        #expect(Self.history().csv() == expected)
    }

    @Test func jsonUsesSnakeCaseKeysAndSurvivesNaN() throws {
        let history = Self.history()
        let text = String(decoding: try history.json(), as: UTF8.self)
        #expect(text.contains("\"peak_device_memory_bytes\" : 4096"))
        #expect(text.contains("\"train_loss\" : \"NaN\""))
        #expect(text.contains("\"val_accuracy\" : 0.5"))
        #expect(!text.contains("validation_loss\" : null"))

        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("history.json")
        try history.saveJSON(to: url)
        let loaded = try TrainingHistory.loadJSON(from: url)
        #expect(loaded.epochs.count == 2)
        #expect(loaded.epochs[0] == history.epochs[0])
        #expect(loaded.epochs[1].trainLoss.isNaN)
        #expect(loaded.epochs[1].validationLoss == nil)
        #expect(loaded.metricNames == ["accuracy", "f1, macro", "val_accuracy"])

        let csvURL = folder.url.appendingPathComponent("history.csv")
        try history.saveCSV(to: csvURL)
        #expect(try String(contentsOf: csvURL, encoding: .utf8) == history.csv())
    }

    @Test func loadingSomethingElseIsAnError() throws {
        let folder = try TemporaryFolder()
        let url = try folder.write(Array("{\"epochs\": 3}".utf8), to: "bad.json")
        #expect(throws: DataError.self) { try TrainingHistory.loadJSON(from: url) }
        #expect(throws: DataError.self) { try TrainingHistory.loadJSON(from: folder.url.appendingPathComponent("none.json")) }
        #expect(throws: DataError.self) {
            try Self.history().saveCSV(to: URL(fileURLWithPath: "/nonexistent/folder/history.csv"))
        }
    }
}

import Foundation
import Testing
import TestSupport

/// `swifttune predict` and `evaluate` on a tiny run trained through the executable.
@Suite(.serialized) struct PredictCommandTests {
    static let digitsCSV = FuzzInputs.repositoryRoot.appendingPathComponent("Sources/Training/Resources/digits.csv")

    /// A temporary folder with a run trained for a few epochs on the digits (an int8 model too).
    private static func trainedRun() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swifttune-predict-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let yaml = """
            seed: 3
            data: {dataset: digits, validation: 0.15, test: 0.15, scale: minmax}
            model:
              - dense: {units: 32, activation: relu}
              - dense: {units: 10}
            training: {epochs: 4, batch_size: 32, optimizer: {name: adam, learning_rate: 0.003}}
            compression: {quantize: per_channel}
            """
        try yaml.write(to: folder.appendingPathComponent("tiny.yaml"), atomically: true, encoding: .utf8)
        let (status, output) = try SwiftTuneCommand.run(["train", "tiny.yaml", "--device", "cpu", "--output", "run"], in: folder)
        #expect(status == 0, "\(output)")
        return folder
    }

    /// The first `rows` data lines of the digits, with the header; without the label column
    /// and header when `labelled` is false.
    private static func digitsSample(rows: Int, labelled: Bool) throws -> String {
        let lines = try String(contentsOf: digitsCSV, encoding: .utf8).split(separator: "\n").prefix(rows + 1)
        guard !labelled else { return lines.joined(separator: "\n") + "\n" }
        return lines.dropFirst().map { $0.split(separator: ",").dropLast().joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    @Test(.enabled(if: SwiftTuneCommand.isBuilt))
    func predictWritesOneRowPerSampleWithClassNamesProbabilitiesOrTopK() throws {
        let folder = try Self.trainedRun()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("run/preprocessing.json").path))
        try Self.digitsSample(rows: 5, labelled: true).write(to: folder.appendingPathComponent("five.csv"), atomically: true, encoding: .utf8)

        let plain = try SwiftTuneCommand.run(["predict", "run", "--input", "five.csv", "--device", "cpu"], in: folder)
        #expect(plain.status == 0, "\(plain.output)")
        let rows = plain.output.split(separator: "\n")
        #expect(rows.first == "row,predicted,probability")
        #expect(rows.count == 6)
        // The first five digits of the file are 0, 1, 2, 3, 4; a trained model gets most of them.
        let predicted = rows.dropFirst().map { $0.split(separator: ",")[1] }
        #expect(zip(predicted, ["0", "1", "2", "3", "4"]).filter { $0 == $1 }.count >= 4, "\(plain.output)")

        let top = try SwiftTuneCommand.run(["predict", "run", "--input", "five.csv", "--top-k", "3", "--device", "cpu"], in: folder)
        #expect(top.output.split(separator: "\n").first == "row,top1,p1,top2,p2,top3,p3", "\(top.output)")

        let written = try SwiftTuneCommand.run(
            ["predict", "run", "--input", "five.csv", "--probabilities", "--output", "out.csv", "--device", "cpu"], in: folder)
        #expect(written.status == 0, "\(written.output)")
        let table = try String(contentsOf: folder.appendingPathComponent("out.csv"), encoding: .utf8).split(separator: "\n")
        #expect(table.first == "row,predicted," + (0...9).map { "p_\($0)" }.joined(separator: ","))
        for row in table.dropFirst() {
            let sum = row.split(separator: ",").dropFirst(2).compactMap { Double($0) }.reduce(0, +)
            #expect(abs(sum - 1) < 1e-4, "\(row)")
        }

        // Features only, no header: read by position.
        try Self.digitsSample(rows: 3, labelled: false).write(to: folder.appendingPathComponent("bare.csv"), atomically: true, encoding: .utf8)
        let bare = try SwiftTuneCommand.run(["predict", "run", "--input", "bare.csv", "--device", "cpu"], in: folder)
        #expect(bare.status == 0 && bare.output.split(separator: "\n").count == 4, "\(bare.output)")
        #expect(bare.output.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] } == predicted.prefix(3).map { $0 })
    }

    @Test(.enabled(if: SwiftTuneCommand.isBuilt))
    func evaluatePrintsMetricsAndTheConfusionMatrixForFloatAndInt8Weights() throws {
        let folder = try Self.trainedRun()
        defer { try? FileManager.default.removeItem(at: folder) }
        let float = try SwiftTuneCommand.run(["evaluate", "run", "--data", Self.digitsCSV.path, "--device", "cpu"], in: folder)
        #expect(float.status == 0, "\(float.output)")
        #expect(float.output.contains("1797 samples") && float.output.contains("confusion matrix:"), "\(float.output)")
        let int8 = try SwiftTuneCommand.run(
            ["evaluate", "run", "--data", Self.digitsCSV.path, "--weights", "model-int8.safetensors", "--device", "cpu"], in: folder)
        #expect(int8.status == 0, "\(int8.output)")
        let floatAccuracy = try #require(Self.accuracy(in: float.output))
        let int8Accuracy = try #require(Self.accuracy(in: int8.output))
        #expect(floatAccuracy > 0.85)
        #expect(abs(floatAccuracy - int8Accuracy) < 0.02, "\(floatAccuracy) float, \(int8Accuracy) int8")

        try Self.digitsSample(rows: 3, labelled: false).write(to: folder.appendingPathComponent("bare.csv"), atomically: true, encoding: .utf8)
        let unlabelled = try SwiftTuneCommand.run(["evaluate", "run", "--data", "bare.csv", "--device", "cpu"], in: folder)
        #expect(unlabelled.status != 0)
        #expect(unlabelled.output.contains("bare.csv") && unlabelled.output.contains("no label column"), "\(unlabelled.output)")

        let notARun = try SwiftTuneCommand.run(["predict", ".", "--input", "bare.csv", "--device", "cpu"], in: folder)
        #expect(notARun.status != 0 && notARun.output.contains("preprocessing.json"), "\(notARun.output)")
    }

    private static func accuracy(in output: String) -> Double? {
        guard let range = output.range(of: "accuracy ") else { return nil }
        return Double(output[range.upperBound...].prefix { $0 != " " && $0 != "\n" })
    }
}

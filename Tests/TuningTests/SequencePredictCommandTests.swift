import Foundation
import Testing
import TestSupport

/// `swifttune predict` and `evaluate` on a run trained on texts: new texts are encoded with the
/// run's vocabulary, tokenization, padding and length.
@Suite(.serialized) struct SequencePredictCommandTests {
    private static let fillers = ["sun", "tree", "rock", "lamp", "cup", "road"]

    /// Texts holding `good` (class `pos`) or `bad` (class `neg`) among filler words.
    private static func texts(count: Int) -> [(text: String, label: String)] {
        (0..<count).map { row in
            let positive = row % 2 == 0
            var words = (0..<(2 + row % 3)).map { fillers[(row + $0 * 5) % fillers.count] }
            words.insert(positive ? "good" : "bad", at: row % words.count)
            return (words.joined(separator: " "), positive ? "pos" : "neg")
        }
    }

    /// A temporary folder with a run trained on the texts; the sequence column is `text`, the
    /// label `label`.
    private static func trainedRun() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swifttune-text-predict-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let rows = texts(count: 80).map { "\($0.label),\($0.text)" }
        try (["label,text"] + rows).joined(separator: "\n").write(to: folder.appendingPathComponent("texts.csv"), atomically: true, encoding: .utf8)
        let yaml = """
            seed: 2
            data:
              dataset: text
              path: texts.csv
              column: text
              target: label
              sequence: {length: 6, padding: post, max_vocabulary: 16}
              validation: 0.2
              test: 0
            model:
              - embedding: {vocabulary: 16, dimension: 8, padding_index: 0}
              - lstm: {hidden: 8}
              - dense: 2
            training: {epochs: 12, batch_size: 16, optimizer: {name: adam, learning_rate: 0.03}}
            """
        try yaml.write(to: folder.appendingPathComponent("text.yaml"), atomically: true, encoding: .utf8)
        let (status, output) = try SwiftTuneCommand.run(["train", "text.yaml", "--device", "cpu", "--output", "run"], in: folder)
        #expect(status == 0, "\(output)")
        return folder
    }

    @Test(.enabled(if: SwiftTuneCommand.isBuilt))
    func predictEncodesTextsWithTheRunsVocabularyAndEvaluateReadsTheirLabels() throws {
        let folder = try Self.trainedRun()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("run/vocabulary.json").path))

        // Columns in another order with an extra one, no label; upper case and an unknown word
        // are tokenized as in training (lowercased; `zebra` is unknown).
        let input = """
            id,text
            a,good sun tree
            b,rock BAD lamp
            c,"Cup, road; good!"
            d,bad zebra cup
            """
        try input.write(to: folder.appendingPathComponent("new.csv"), atomically: true, encoding: .utf8)
        let predicted = try SwiftTuneCommand.run(["predict", "run", "--input", "new.csv", "--device", "cpu"], in: folder)
        #expect(predicted.status == 0, "\(predicted.output)")
        let rows = predicted.output.split(separator: "\n")
        #expect(rows.first == "row,predicted,probability", "\(predicted.output)")
        #expect(rows.dropFirst().map { $0.split(separator: ",")[1] } == ["pos", "neg", "pos", "neg"], "\(predicted.output)")

        let labelled = (["text,label"] + Self.texts(count: 20).map { "\($0.text),\($0.label)" }).joined(separator: "\n")
        try labelled.write(to: folder.appendingPathComponent("labelled.csv"), atomically: true, encoding: .utf8)
        let evaluated = try SwiftTuneCommand.run(["evaluate", "run", "--data", "labelled.csv", "--device", "cpu"], in: folder)
        #expect(evaluated.status == 0, "\(evaluated.output)")
        #expect(evaluated.output.contains("20 samples"), "\(evaluated.output)")
        let accuracy = evaluated.output.range(of: "accuracy ").flatMap { Double(evaluated.output[$0.upperBound...].prefix { $0 != " " && $0 != "\n" }) }
        #expect((accuracy ?? 0) >= 0.9, "\(evaluated.output)")

        let unlabelled = try SwiftTuneCommand.run(["evaluate", "run", "--data", "new.csv", "--device", "cpu"], in: folder)
        #expect(unlabelled.status != 0)
        #expect(unlabelled.output.contains("new.csv") && unlabelled.output.contains("'label'"), "\(unlabelled.output)")

        try "id,words\na,good\n".write(to: folder.appendingPathComponent("wrong.csv"), atomically: true, encoding: .utf8)
        let wrong = try SwiftTuneCommand.run(["predict", "run", "--input", "wrong.csv", "--device", "cpu"], in: folder)
        #expect(wrong.status != 0)
        #expect(wrong.output.contains("wrong.csv") && wrong.output.contains("'text'"), "\(wrong.output)")
    }

    @Test(.enabled(if: SwiftTuneCommand.isBuilt))
    func predictWithoutTheVocabularyFileSaysWhatIsMissing() throws {
        let folder = try Self.trainedRun()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("run/vocabulary.json"))
        try "text\ngood sun\n".write(to: folder.appendingPathComponent("new.csv"), atomically: true, encoding: .utf8)
        let result = try SwiftTuneCommand.run(["predict", "run", "--input", "new.csv", "--device", "cpu"], in: folder)
        #expect(result.status != 0)
        #expect(result.output.contains("vocabulary.json"), "\(result.output)")
    }

    @Test(.enabled(if: SwiftTuneCommand.isBuilt))
    func idSequencesAreReadByPositionAndPaddedAsInTraining() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swifttune-ids-predict-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Class 1 when id 7 occurs, class 0 when id 8 does, among ids 2 to 6.
        let rows = (0..<60).map { row in
            let fillers = (0..<(1 + row % 4)).map { String(2 + (row + $0) % 5) }
            return (fillers + [row % 2 == 0 ? "7" : "8"]).joined(separator: " ") + ",\(row % 2 == 0 ? 1 : 0)"
        }
        try (["ids,label"] + rows).joined(separator: "\n").write(to: folder.appendingPathComponent("ids.csv"), atomically: true, encoding: .utf8)
        let yaml = """
            seed: 4
            data: {dataset: sequences, path: ids.csv, sequence: {length: 5}, validation: 0.2, test: 0}
            model:
              - embedding: {vocabulary: 9, dimension: 8, padding_index: 0}
              - lstm: {hidden: 8}
              - dense: 2
            training: {epochs: 12, batch_size: 16, optimizer: {name: adam, learning_rate: 0.03}}
            """
        try yaml.write(to: folder.appendingPathComponent("ids.yaml"), atomically: true, encoding: .utf8)
        let trained = try SwiftTuneCommand.run(["train", "ids.yaml", "--device", "cpu", "--output", "run"], in: folder)
        #expect(trained.status == 0, "\(trained.output)")

        // Only the sequence column: the label would be the last column, which is the sequence.
        try "ids\n3 4 7\n8 2\n6 5 4 3 2 8\n".write(to: folder.appendingPathComponent("new.csv"), atomically: true, encoding: .utf8)
        let predicted = try SwiftTuneCommand.run(["predict", "run", "--input", "new.csv", "--device", "cpu"], in: folder)
        #expect(predicted.status == 0, "\(predicted.output)")
        #expect(predicted.output.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] } == ["1", "0", "0"], "\(predicted.output)")

        let evaluated = try SwiftTuneCommand.run(["evaluate", "run", "--data", "ids.csv", "--device", "cpu"], in: folder)
        #expect(evaluated.status == 0 && evaluated.output.contains("60 samples"), "\(evaluated.output)")

        try "ids\n3 x 7\n".write(to: folder.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let bad = try SwiftTuneCommand.run(["predict", "run", "--input", "bad.csv", "--device", "cpu"], in: folder)
        #expect(bad.status != 0)
        #expect(bad.output.contains("bad.csv") && bad.output.contains("'x' is not a token id"), "\(bad.output)")

        try "ids\n3 4 7\n3 12 7\n".write(to: folder.appendingPathComponent("large.csv"), atomically: true, encoding: .utf8)
        let large = try SwiftTuneCommand.run(["predict", "run", "--input", "large.csv", "--device", "cpu"], in: folder)
        #expect(large.status != 0)
        #expect(large.output.contains("row 2: token id 12") && large.output.contains("9 rows"), "\(large.output)")
    }
}

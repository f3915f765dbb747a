import Backend
import Foundation
import NN
import Testing
@testable import Training

/// Text and token-id sequence data, their vocabulary, and the sequence layers in descriptions.
struct SequenceDataTests {
    static let texts = """
        text,label
        "The cat sat, the cat ran",pos
        the dog sat,neg
        a cat,pos
        the bird flew away,neg
        dog dog dog,neg
        cat and dog,pos

        """

    @Test func theVocabularyCountsWordsMostFrequentFirstWithinItsLimits() throws {
        let vocabulary = try Vocabulary.build(
            from: ["The cat sat, the cat", "the dog", "dog's bone"], maxSize: 5, minFrequency: 2, lowercase: true)
        #expect(vocabulary.tokens == ["<pad>", "<unk>", "the", "cat"])
        #expect(vocabulary.ids(of: "THE bird cat") == [2, 1, 3])
        #expect(vocabulary.encode("the cat", as: SequenceShape(length: 4)) == [0, 0, 2, 3])
        #expect(vocabulary.encode("the cat", as: SequenceShape(length: 4, padding: .post)) == [2, 3, 0, 0])
        #expect(vocabulary.encode("cat the cat the cat", as: SequenceShape(length: 3)) == [3, 2, 3])
        let capped = try Vocabulary.build(from: ["a a a b b c"], maxSize: 4, minFrequency: 1, lowercase: false)
        #expect(capped.tokens == ["<pad>", "<unk>", "a", "b"])
    }

    @Test func theVocabularyIsWrittenAndReadBack() throws {
        let folder = try TemporaryFolder()
        let vocabulary = try Vocabulary.build(from: ["b a b"], maxSize: 10, minFrequency: 1, lowercase: false)
        let file = folder.url.appendingPathComponent("vocabulary.json")
        try vocabulary.write(to: file)
        #expect(try Vocabulary.load(from: file) == vocabulary)
        try Data(#"{"tokens": ["a", "b"], "lowercase": true}"#.utf8).write(to: file)
        #expect(throws: DataError.self) { try Vocabulary.load(from: file) }
    }

    @Test func textDataBuildsItsVocabularyOnTheTrainingPartOnly() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write(Array(Self.texts.utf8), to: "texts.csv")
        let source = SequenceSource(
            file: .path("texts.csv"), content: .text(maxVocabulary: 100, minFrequency: 1, lowercase: true), column: .name("text"),
            target: .name("label"), classification: true, shape: SequenceShape(length: 5))
        let prepared = try source.prepare(validation: 0, test: 0.34, scaleTargets: true, seed: 3, baseFolder: folder.url)
        let vocabulary = try #require(prepared.vocabulary)
        let test = try #require(prepared.test)
        #expect(prepared.train.count == 4 && test.count == 2)
        #expect(prepared.train.featureShape == [5] && prepared.train.classNames == ["neg", "pos"])
        let records = Self.texts.split(separator: "\n").dropFirst().map { String($0) }
        let trainingWords = Set(prepared.train.features.map { vocabulary.tokens[Int($0)] })
        // Every word of the vocabulary comes from the training texts; test words it lacks are unknown.
        for token in vocabulary.tokens.dropFirst(2) {
            #expect(trainingWords.contains(token), "\(token) is not from the training part")
        }
        #expect(records.count == 6)
        for value in test.features { #expect(Int(value) < vocabulary.count) }
    }

    @Test func idSequencesArePaddedAndBadIdsNamed() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write(Array("ids,y\n3 1 4,1\n1 5 9 2 6,0\n5,1\n3 5,0\n".utf8), to: "ids.csv")
        let source = SequenceSource(
            file: .path("ids.csv"), content: .ids, column: .index(0), target: .last, classification: true,
            shape: SequenceShape(length: 4, padding: .post))
        let prepared = try source.prepare(validation: 0, test: 0, scaleTargets: true, seed: 0, baseFolder: folder.url)
        #expect(prepared.train.features == [3, 1, 4, 0, 1, 5, 9, 2, 5, 0, 0, 0, 3, 5, 0, 0])
        #expect(prepared.vocabulary == nil)
        _ = try folder.write(Array("ids,y\n3 x,1\n".utf8), to: "bad.csv")
        var bad = source
        bad.file = .path("bad.csv")
        #expect {
            try bad.prepare(validation: 0, test: 0, scaleTargets: true, seed: 0, baseFolder: folder.url)
        } throws: { "\($0)".contains("line 2") && "\($0)".contains("'x' is not a token id") }
    }

    @Test func aDescribedTextModelTrainsAndKeepsItsVocabulary() throws {
        let folder = try TemporaryFolder()
        let description = try TrainingDescription.parse(yaml: """
            seed: 1
            data: {dataset: word_order, sequence: {length: 12, max_vocabulary: 40}, validation: 0.2, test: 0.1}
            model:
              - embedding: {vocabulary: 40, dimension: 4, padding_index: 0}
              - gru: {hidden: 6, return_sequences: true, initial_state: learned}
              - lstm: 5
              - dense: 2
            training: {epochs: 1, batch_size: 64}
            """, file: "t.yaml")
        let run = try TrainingRun(description, device: CPUDevice.shared)
        #expect(run.data.train.featureShape == [12] && run.data.train.count == 840)
        let summary = try run.trainer.model.summary(inputShape: [12])
        #expect(summary.contains("embedding") && summary.contains("[12, 6]") && summary.contains("gru") && summary.contains("lstm"))
        try run.fit(outputFolder: folder.url)
        let saved = try Vocabulary.load(from: folder.url.appendingPathComponent(TrainingRun.vocabularyFileName))
        #expect(saved == run.data.vocabulary && saved.tokens.contains("alpha"))
        // A model folder alone (a tuning trial's kept weights) holds the vocabulary too.
        let modelFolder = folder.url.appendingPathComponent("kept")
        try run.writeModelFolder(to: modelFolder)
        #expect(try Vocabulary.load(from: modelFolder.appendingPathComponent(TrainingRun.vocabularyFileName)) == saved)
    }

    @Test func theBundledWordNetGlossesAreFiveBalancedKindsOfRealDefinitions() throws {
        let text = try String(contentsOf: BundledTextDataset.wordnetGlosses.url(), encoding: .utf8)
        let labels = text.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").last.map(String.init) }
        #expect(labels.count == 4000)
        for kind in ["animal", "plant", "food", "artifact", "person"] {
            #expect(labels.filter { $0 == kind }.count == 800, "\(kind)")
        }
        let description = try TrainingDescription.parse(yaml: """
            data: {dataset: wordnet_glosses, sequence: {length: 24, min_frequency: 2}, validation: 0.15, test: 0.15}
            model: [{embedding: {vocabulary: 10000, dimension: 4}}, lstm: 4, dense: 5]
            """, file: "g.yaml")
        let run = try TrainingRun(description, device: CPUDevice.shared)
        #expect(run.data.train.count == 2800 && run.data.train.featureShape == [24])
        #expect(run.data.train.classNames == ["animal", "artifact", "food", "person", "plant"])
        let vocabulary = try #require(run.data.vocabulary)
        #expect(vocabulary.tokens.contains("species") && vocabulary.count > 1000)
    }

    @Test func overridesReachRecurrentLayersInShortForm() throws {
        let description = try TrainingDescription.parse(
            yaml: "data: {dataset: word_order, sequence: {length: 4}}\nmodel: [{embedding: {vocabulary: 50, dimension: 3}}, gru: 8, dense: 2]",
            overrides: ["model[1].gru.hidden": .int(5), "model[1].gru.return_sequences": .bool(true)])
        #expect(description.model.layers[1] == .recurrent(
            RecurrentLayerDescription(cell: .gru, hidden: 5, returnSequences: true, learnedInitialState: false)))
    }

    @Test func sequenceMistakesNameTheirKey() throws {
        func message(_ yaml: String) -> String {
            do {
                let description = try TrainingDescription.parse(yaml: yaml, file: "s.yaml")
                _ = try TrainingRun(description, device: CPUDevice.shared)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let data = "data: {dataset: word_order, sequence: {length: 12}}\n"
        #expect(message(data + "model: [lstm: 4]").contains("not [steps, features]"))
        #expect(message(data + "model: [{embedding: {vocabulary: 8}}]").contains("dimension"))
        #expect(message(data + "model: [{embedding: {vocabulary: 8, dimension: 2, padding_index: 8}}]").contains("padding_index"))
        #expect(message(data + "model: [{lstm: {hidden: 4, initial_state: random}}]").contains("initial_state"))
        #expect(message("data: {dataset: word_order}\nmodel: [dense: 2]").contains("sequence"))
        #expect(message("data: {dataset: word_order, scale: minmax, sequence: {length: 3}}\nmodel: [dense: 2]").contains("data.scale"))
        #expect(message(data + "model: [{embedding: {vocabulary: 8, dimension: 2}}, lstm: 2, dense: 2]").contains("set its vocabulary to at least"))
        #expect(message("data: {dataset: sequences, path: x.csv, sequence: {length: 3, max_vocabulary: 4}}\nmodel: [dense: 2]")
            .contains("max_vocabulary"))
    }
}

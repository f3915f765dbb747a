import Backend
import Foundation
import NN
import TestSupport
import Testing
@testable import Training

/// Mutated train files, CSV files and safetensors files (fixed seeds): each case ends in a
/// result or in an error with a message, never in a trap or a hang, and nothing is written.
/// Parsing and building only; nothing trains.
@Suite struct FuzzTests {
    /// Cases per input kind.
    static let trainFileCases = FuzzInputs.caseCount(900)
    static let csvCases = FuzzInputs.caseCount(500)
    static let safeTensorsCases = FuzzInputs.caseCount(700)

    /// A CPU device that holds at most 8 MB, so that a mutated size is an error at once rather
    /// than gigabytes of weights.
    static let smallDevice = CPUDevice(threads: 1, memoryLimitBytes: 8 << 20)

    /// Checks that `error` explains itself; `mustName` must appear in the message when given.
    static func checkMessage(_ error: any Error, case number: Int, mustName: String? = nil) {
        let message = "\(error)"
        #expect(!message.isEmpty, "case \(number): an error without a message: \(type(of: error))")
        if let mustName {
            #expect(message.contains(mustName), "case \(number): the error does not name \(mustName): \(message)")
        }
    }

    @Test func mutatedTrainFilesParseOrExplain() throws {
        let before = FuzzInputs.repositorySnapshot()
        let examplesFolder = FuzzInputs.repositoryRoot.appendingPathComponent("examples")
        let candidates = try FuzzInputs.examples(["breast-cancer.yaml", "diabetes.yaml", "digits-cnn.yaml", "digits-mlp.yaml", "digits-tune.yaml"])
            + FuzzInputs.documentationBlocks()
        // The seeds are the files that parse as they are, with their data's input shape.
        var seeds: [(text: [UInt8], inputShape: [Int])] = []
        for (name, text) in candidates {
            guard let description = try? TrainingDescription.parse(yaml: text, file: name, baseFolder: examplesFolder) else { continue }
            let data = try description.data.prepare(seed: description.seed, baseFolder: examplesFolder)
            seeds.append((Array(text.utf8), data.train.featureShape))
        }
        #expect(seeds.count >= 5, "only \(seeds.count) train files parse unmutated")
        var mutator = Mutator(seed: 0x7261_696E)
        var outcomes = (parsed: 0, built: 0, errors: 0)
        for number in 0..<Self.trainFileCases {
            let seed = mutator.pick(seeds)
            // Half the cases change one number only, so that more of them get past the parser
            // to the size arithmetic of the layers.
            let mutated = number % 2 == 0 ? mutator.replacingNumber(in: seed.text) : mutator.mutate(seed.text)
            let text = String(decoding: mutated, as: UTF8.self)
            do {
                let description = try TrainingDescription.parse(yaml: text, file: "fuzz-\(number).yaml", baseFolder: examplesFolder)
                outcomes.parsed += 1
                _ = try TrainingRun.buildModel(description, inputShape: seed.inputShape, on: Self.smallDevice)
                outcomes.built += 1
            } catch {
                outcomes.errors += 1
                Self.checkMessage(error, case: number)
            }
        }
        #expect(outcomes.parsed > 0 && outcomes.errors > 0, "\(outcomes)")
        #expect(FuzzInputs.repositorySnapshot() == before, "a case wrote into the repository")
    }

    @Test func mutatedCSVFilesParseOrExplain() throws {
        // The first 40 lines of each bundled data set, read with its options.
        let seeds = try BundledDataset.allCases.map { dataset in
            let lines = try String(contentsOf: dataset.url(), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            return (bytes: Array(lines.prefix(40).joined(separator: "\n").utf8), options: dataset.csvOptions)
        }
        var mutator = Mutator(seed: 0x6373_76)
        var outcomes = (parsed: 0, errors: 0)
        for number in 0..<Self.csvCases {
            let seed = mutator.pick(seeds)
            let source = "fuzz-\(number).csv"
            do {
                let dataset = try Dataset.parseCSV(mutator.mutate(seed.bytes), source: source, options: seed.options, info: nil)
                _ = try dataset.split(validation: 0.2, test: 0.2, seed: 1)
                outcomes.parsed += 1
            } catch {
                outcomes.errors += 1
                Self.checkMessage(error, case: number)
            }
        }
        #expect(outcomes.parsed > 0 && outcomes.errors > 0, "\(outcomes)")
    }

    @Test func mutatedSafeTensorsReadOrExplain() throws {
        let device = CPUDevice.shared
        let model = Sequential([
            try Dense(inputs: 3, outputs: 4, activation: .relu, seed: 1, on: device),
            try BatchNorm(channels: 4, spatial: false, on: device),
            try Dense(inputs: 4, outputs: 2, seed: 2, on: device),
        ])
        let original = try SafeTensors.encode(ModelSnapshot(of: model).arrays, metadata: ["format": "fuzz", "epoch": "3"])
        let headerLength = Int(original[0]) | Int(original[1]) << 8
        let header = Array(original[8..<(8 + headerLength)])
        let data = Array(original[(8 + headerLength)...])
        var mutator = Mutator(seed: 0x7374)
        var outcomes = (read: 0, loaded: 0, errors: 0)
        for number in 0..<Self.safeTensorsCases {
            let bytes: [UInt8]
            if mutator.below(2) == 0 {
                bytes = mutator.mutate(original)
            } else {
                // A mutated header with a correct length, so that the JSON is what gets tested.
                let mutated = mutator.mutate(header)
                bytes = withUnsafeBytes(of: UInt64(mutated.count).littleEndian, Array.init) + mutated
                    + (mutator.below(4) == 0 ? mutator.mutate(data) : data)
            }
            let name = "fuzz-\(number).safetensors"
            do {
                let file = try SafeTensors.decode(bytes, file: name)
                outcomes.read += 1
                try ModelWeights.load(file, named: name, into: model, strict: false)
                outcomes.loaded += 1
            } catch {
                outcomes.errors += 1
                Self.checkMessage(error, case: number, mustName: name)
            }
        }
        #expect(outcomes.read > 0 && outcomes.errors > 0, "\(outcomes)")
    }
}

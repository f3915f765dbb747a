import ArgumentParser
import Foundation
import SwiftTuneOptions
import Testing
import Training

/// The `train` flags that make and change a training description.
@Suite struct DescriptionOptionsTests {
    /// `train` as the executable declares it, for the usage lines of a full message.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "train")
        @OptionGroup var description: DescriptionOptions
    }

    @Test(arguments: [
        (["--set", "learning_rate"], "--set expects name=value, got 'learning_rate'"),
        (["--set", "=0.1"], "--set expects name=value, got '=0.1'"),
        (["--epochs", "many"], "The value 'many' is invalid for '--epochs <epochs>'"),
        (["--learning-rate"], "Missing value for '--learning-rate <learning-rate>'"),
        (["--dataset", "iris"], "--dataset: 'iris' is not one of digits, breast_cancer, diabetes"),
        (["--hidden-units", "128,x"], "--hidden-units: expected positive sizes like 128,64, got '128,x'"),
        (["--hidden-units", "0"], "--hidden-units: expected positive sizes like 128,64, got '0'"),
        (["--set", "epochs=3", "--hidden-units", "64,32", "--dataset", "diabetes"], "accepted"),
    ])
    func badFlagsAreRefusedWhenParsed(arguments: [String], message: String) {
        #expect(parsedMessage(DescriptionOptions.self, arguments) == message)
    }

    @Test func aParseErrorIsShownWithTheUsage() {
        do {
            _ = try Train.parseAsRoot(["--set", "learning_rate"])
            Issue.record("accepted")
        } catch {
            let lines = Train.fullMessage(for: error).split(separator: "\n")
            #expect(lines.first == "Error: --set expects name=value, got 'learning_rate'")
            #expect(lines.dropFirst().first?.hasPrefix("Usage: train [--set <name=value> ...]") == true)
            #expect(lines.last == "  See 'train --help' for more information.")
        }
    }

    /// What making the description from `arguments` (and `file`) says, or "accepted".
    static func descriptionMessage(_ arguments: [String], file: String? = nil) throws -> String {
        let options = try DescriptionOptions.parse(arguments)
        do {
            _ = try options.description(file: file)
            return "accepted"
        } catch {
            return DescriptionOptions.fullMessage(for: error)
        }
    }

    @Test func overridesTheDescriptionDoesNotTakeAreShownWithTheirPlace() throws {
        #expect(try Self.descriptionMessage(["--set", "warp=1"]) == "Error: <overrides>: warp: not a declared parameter (none), "
            + "a key path like training.optimizer.learning_rate, or one of batch_size, clip_norm, epochs, l1, learning_rate, momentum, "
            + "optimizer, seed, weight_decay")
        let optimizer = try Self.descriptionMessage(["--optimizer", "lion"])
        #expect(optimizer == "Error: <flags>:13:21: training.optimizer.name: 'lion' is not one of sgd, rmsprop, adam, adamw")
        let layer = try Self.descriptionMessage(["--set", "model[5].dense.units=16"])
        #expect(layer == "Error: <flags>:7:3: model[5].dense.units: the override path does not fit: model has 3 items, so there is no model[5]")
    }

    @Test func indexesIntoTheModelListReachLayersInShortForm() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("swifttune-options-\(UUID().uuidString).yaml")
        try "data: {dataset: digits}\nmodel:\n  - dense: 32\n  - dropout: 0.1\n  - dense: 10\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let options = try DescriptionOptions.parse(["--set", "model[2].dense.units=16", "--set", "model[0].dense.activation=relu"])
        #expect(try options.description(file: file.path).model.layers == [
            .dense(units: 32, activation: .relu, initializer: nil, useBias: true), .dropout(0.1),
            .dense(units: 16, activation: nil, initializer: nil, useBias: true),
        ])
    }

    @Test func shorthandsAndSettingsBecomeOverrides() throws {
        let options = try DescriptionOptions.parse([
            "--set", "hidden_units=64", "--set", "training.optimizer.nesterov=yes", "--epochs", "3", "--learning-rate", "0.5",
            "--optimizer", "sgd", "--batch-size", "8", "--seed", "7",
        ])
        #expect(try options.overrides() == [
            "hidden_units": .int(64), "training.optimizer.nesterov": .bool(true), "epochs": .int(3), "learning_rate": .double(0.5),
            "optimizer": .string("sgd"), "batch_size": .int(8), "seed": .int(7),
        ])
    }
}

@Suite struct InitWeightsOptionTests {
    @Test func initWeightsSetsTheAbsolutePathOfTheFile() throws {
        let options = try DescriptionOptions.parse(["--init-weights", "runs/base/model.safetensors"])
        let expected = FileManager.default.currentDirectoryPath + "/runs/base/model.safetensors"
        #expect(try options.overrides()["init.weights"] == .string(expected))
    }

    @Test func weightsFormatSetsTheFormatOfTheWeights() throws {
        let options = try DescriptionOptions.parse(["--init-weights", "r18.safetensors", "--weights-format", "pytorch"])
        #expect(try options.overrides()["init.format"] == .string("pytorch"))
        let description = try options.description(file: nil)
        #expect(description.transfer.initialWeights?.format == .pytorch)
        #expect(parsedMessage(DescriptionOptions.self, ["--weights-format", "onnx"])
            == "--weights-format: 'onnx' is not one of swifttune, pytorch")
    }
}

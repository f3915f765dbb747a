import ArgumentParser
import Foundation
import SwiftTuneOptions
import Testing
import Training

/// `--init-weights` and `--weights-format`: the command-line form of `init:`.
@Suite struct InitWeightsOptionsTests {
    static let yaml = "data: {dataset: digits}\nmodel: [dense: 10]\n"

    @Test(arguments: [
        (["--weights-format", "onnx", "--init-weights", "w.safetensors"], "--weights-format: 'onnx' is not one of swifttune, pytorch"),
        (["--weights-format", "pytorch"], "--weights-format needs --init-weights"),
        (["--init-weights", "w.safetensors", "--weights-format", "pytorch"], "accepted"),
    ])
    func badFlagsAreRefusedWhenParsed(arguments: [String], message: String) {
        #expect(parsedMessage(InitWeightsOptions.self, arguments) == message)
    }

    @Test func theFlagsSetInitWithAPathFromTheCurrentFolder() throws {
        let options = try InitWeightsOptions.parse(["--init-weights", "w.safetensors", "--weights-format", "pytorch"])
        let description = options.applied(to: try TrainingDescription.parse(yaml: Self.yaml))
        #expect(description.initialization?.format == .pytorch)
        #expect(description.initialization?.weights == FileManager.default.currentDirectoryPath + "/w.safetensors")
        // The description's own map and strictness stay.
        let mapped = try TrainingDescription.parse(yaml: Self.yaml + "init: {weights: a.safetensors, format: pytorch, strict: false, map: {0: fc}}\n")
        let applied = try InitWeightsOptions.parse(["--init-weights", "/b.safetensors"]).applied(to: mapped)
        #expect(applied.initialization?.weights == "/b.safetensors")
        #expect(applied.initialization?.strict == false && applied.initialization?.modules.modules == ["0": "fc"])
        #expect(try InitWeightsOptions.parse([]).applied(to: mapped) == mapped)
    }
}

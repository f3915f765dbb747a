import Backend
import Foundation
import NN
import Parity
import TestSupport
import Testing

/// The sequence layers against PyTorch on PyTorch's weights (scripts/lib/torch_sequence_reference.py):
/// outputs within 1e-4 and gradients within 1e-3 (relative), on every device. Skipped without
/// the comparison environment `.venv-compare` (scripts/lib/compare-venv.sh makes it) or
/// `SWIFTTUNE_COMPARE_PYTHON`.
@Suite(.enabled(if: TorchComparison.python != nil, "no PyTorch comparison environment (.venv-compare)"))
struct TorchSequenceTests {
    @Test(arguments: TestDevice.all)
    func matchesPyTorch(device: TestDevice) throws {
        let reference = try TorchReference.load()
        #expect(reference.cases.count == 5)
        for torchCase in reference.cases {
            let d = device.device
            let layer = try torchCase.layer(on: d)
            let isIds = torchCase.inputGradient == nil
            let x = Variable(
                try Tensor(torchCase.input, shape: torchCase.inputShape, on: d), requiresGrad: !isIds, name: "input")
            let tape = Tape()
            let output = try layer.forward(x, tape: tape)
            expectClose(try output.value.toArray(), torchCase.output.map(Double.init), tolerance: 1e-4, "\(torchCase.name) output on \(d.identifier)")
            let upstream = Variable(try Tensor(torchCase.upstream, shape: torchCase.outputShape, on: d))
            try tape.backward(tape.sum(tape.mul(output, upstream)))
            for (name, variable) in try torchCase.parameterVariables(of: layer) {
                let expected = try #require(torchCase.gradients[name])
                let actual = try torchCase.torchLayout(try #require(variable.grad).toArray(), name: name, shape: variable.shape)
                expectClose(actual, expected.map(Double.init), tolerance: 1e-3, "\(torchCase.name) gradient of \(name) on \(d.identifier)")
            }
            if let expected = torchCase.inputGradient {
                expectClose(try #require(x.grad).toArray(), expected.map(Double.init), tolerance: 1e-3, "\(torchCase.name) input gradient")
            }
        }
    }
}

/// The cases the PyTorch script writes.
struct TorchReference: Decodable {
    struct Case: Decodable {
        let name: String
        let input: [Float], inputShape: [Int], upstream: [Float], output: [Float], outputShape: [Int]
        let parameters: [String: [Float]], gradients: [String: [Float]]
        let inputGradient: [Float]?
        let padding: Int?

        /// The SwiftTune layer with PyTorch's weights (weights transposed to `[in, gates·hidden]`).
        func layer(on device: any Device) throws -> any Layer {
            let kind = name.split(separator: " ")[0]
            let sequences = name.hasSuffix("sequences")
            let layer: any Layer
            switch kind {
            case "embedding":
                let table = try #require(parameters["weight"])
                let dimension = outputShape.last ?? 1
                layer = try Embedding(vocabulary: table.count / dimension, dimension: dimension, paddingIndex: padding, seed: 0, on: device)
            case "lstm":
                layer = try LSTM(inputs: inputShape[2], hidden: hidden(gates: 4), returnSequences: sequences, seed: 0, on: device)
            default:
                layer = try GRU(inputs: inputShape[2], hidden: hidden(gates: 3), returnSequences: sequences, seed: 0, on: device)
            }
            for (name, variable) in try parameterVariables(of: layer) {
                let values = try #require(parameters[name])
                try variable.value.assign(isTransposed(name) ? transpose(values, rows: variable.shape[1], columns: variable.shape[0]) : values)
            }
            return layer
        }

        private func hidden(gates: Int) throws -> Int { try #require(parameters["bias_ih_l0"]).count / gates }

        /// PyTorch's parameter names, each with the layer's variable.
        func parameterVariables(of layer: any Layer) throws -> [(String, Variable)] {
            let names = layer is Embedding ? ["weight"] : ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
            return Array(zip(names, layer.parameters))
        }

        private func isTransposed(_ name: String) -> Bool { name.hasPrefix("weight_") }

        /// `values` of a SwiftTune variable of `shape` in PyTorch's layout.
        func torchLayout(_ values: [Float], name: String, shape: [Int]) throws -> [Float] {
            isTransposed(name) ? transpose(values, rows: shape[0], columns: shape[1]) : values
        }

        /// A row-major `[rows, columns]` matrix transposed.
        private func transpose(_ values: [Float], rows: Int, columns: Int) -> [Float] {
            (0..<columns).flatMap { c in (0..<rows).map { r in values[r * columns + c] } }
        }
    }

    let torch: String
    let cases: [Case]

    /// Runs the script and reads what it wrote.
    static func load() throws -> TorchReference {
        try JSONDecoder().decode(TorchReference.self, from: TorchComparison.run(script: "torch_sequence_reference.py"))
    }
}

import Backend
import Foundation
import NN
import TestSupport
import Testing

/// Attention, the Transformer encoder layer built from SwiftTune's layers, and grouped
/// convolution against PyTorch on PyTorch's weights (scripts/lib/torch_attention_reference.py):
/// outputs within 1e-4 and gradients within 1e-3 (relative), on every device. Skipped without the
/// comparison environment.
@Suite(.enabled(if: TorchComparison.python != nil, "no PyTorch comparison environment (.venv-compare)"))
struct TorchAttentionTests {
    /// The cases the script writes, read once.
    static let reference = Result { try JSONDecoder().decode(TorchAttentionReference.self, from: TorchComparison.run(script: "torch_attention_reference.py")) }

    @Test(arguments: TestDevice.all)
    func matchesPyTorch(device: TestDevice) throws {
        let cases = try Self.reference.get().cases
        #expect(cases.count == 8)
        for torchCase in cases {
            let d = device.device
            let model = try torchCase.model(on: d)
            let x = Variable(try Tensor(torchCase.input, shape: torchCase.inputShape, on: d), requiresGrad: true, name: "input")
            let mask = try torchCase.keep.map { Variable(try Tensor($0, shape: Array(torchCase.inputShape.prefix(2)), on: d)) }
            let tape = Tape()
            let output = try model.forward(x, mask, tape)
            expectClose(try output.value.toArray(), torchCase.output.map(Double.init), tolerance: 1e-4, "\(torchCase.name) output on \(d.identifier)")
            try tape.backward(tape.sum(tape.mul(output, Variable(Tensor(torchCase.upstream, shape: output.shape, on: d)))))
            expectClose(try #require(x.grad).toArray(), torchCase.inputGradient.map(Double.init), tolerance: 1e-3, "\(torchCase.name) input gradient")
            for (name, variable, transposed) in model.parameters {
                let expected = try #require(torchCase.gradients[name], "\(name)")
                let ours = try #require(variable.grad).toArray()
                let actual = transposed ? transpose(ours, rows: variable.shape[0], columns: variable.shape[1]) : ours
                expectClose(actual, expected.map(Double.init), tolerance: 1e-3, "\(torchCase.name) gradient of \(name) on \(d.identifier)")
            }
        }
    }
}

/// What torch_attention_reference.py writes.
struct TorchAttentionReference: Decodable {
    struct Settings: Decodable {
        let heads: Int?
        let causal: Bool?
        let groups: Int?
    }

    /// A model made of SwiftTune layers: its forward pass and its parameters by PyTorch name, each
    /// with whether PyTorch stores it transposed (`[outputs, inputs]`).
    struct Model {
        let forward: (Variable, Variable?, Tape) throws -> Variable
        let parameters: [(String, Variable, Bool)]
    }

    struct Case: Decodable {
        let name: String
        let settings: Settings
        let input: [Float], inputShape: [Int], upstream: [Float], output: [Float], inputGradient: [Float]
        let keep: [Float]?
        let parameters: [String: [Float]], gradients: [String: [Float]]

        /// The layers of the case with PyTorch's weights.
        func model(on device: any Device) throws -> Model {
            let model: Model
            if name.hasPrefix("conv2d") {
                let weight = try #require(parameters["weight"])
                let filters = try #require(parameters["bias"]).count
                let layer = try Conv2D(
                    inputChannels: inputShape[1], outputChannels: filters, kernel: 3, padding: 1, groups: try #require(settings.groups),
                    seed: 0, on: device)
                #expect(layer.weight.value.count == weight.count)
                model = Model(forward: { x, _, tape in try layer.forward(x, tape: tape) },
                              parameters: [("weight", layer.weight, false), ("bias", try #require(layer.bias), false)])
            } else {
                let dimension = inputShape[2]
                let attention = try MultiHeadAttention(
                    dimension: dimension, heads: try #require(settings.heads), causal: settings.causal ?? false, seed: 0, on: device)
                model = name.hasPrefix("encoder") ? try Self.encoder(attention, dimension: dimension, on: device) : Model(
                    forward: { x, mask, tape in try attention.forward(x, mask: mask, tape: tape) },
                    parameters: try Self.named(attention, prefix: ""))
            }
            for (name, variable, transposed) in model.parameters {
                let values = try #require(parameters[name], "\(name)")
                try variable.value.assign(transposed ? transpose(values, rows: variable.shape[1], columns: variable.shape[0]) : values)
            }
            return model
        }

        static func named(_ attention: MultiHeadAttention, prefix: String) throws -> [(String, Variable, Bool)] {
            [
                (prefix + "in_proj_weight", attention.inProjWeight, true), (prefix + "in_proj_bias", try #require(attention.inProjBias), false),
                (prefix + "out_proj.weight", attention.outProjWeight, true), (prefix + "out_proj.bias", try #require(attention.outProjBias), false),
            ]
        }

        /// nn.TransformerEncoderLayer (post-norm, ReLU): the block of docs/train-file.md.
        static func encoder(_ attention: MultiHeadAttention, dimension: Int, on device: any Device) throws -> Model {
            let (norm1, norm2) = (try LayerNorm(features: dimension, on: device), try LayerNorm(features: dimension, on: device))
            let linear1 = try Dense(inputs: dimension, outputs: 16, activation: .relu, seed: 0, on: device)
            let linear2 = try Dense(inputs: 16, outputs: dimension, seed: 0, on: device)
            return Model(
                forward: { x, mask, tape in
                    let first = try norm1.forward(tape.add(x, attention.forward(x, mask: mask, tape: tape)), tape: tape)
                    return try norm2.forward(tape.add(first, linear2.forward(linear1.forward(first, tape: tape), tape: tape)), tape: tape)
                },
                parameters: try named(attention, prefix: "self_attn.") + [
                    ("linear1.weight", linear1.weight, true), ("linear1.bias", try #require(linear1.bias), false),
                    ("linear2.weight", linear2.weight, true), ("linear2.bias", try #require(linear2.bias), false),
                    ("norm1.weight", norm1.gamma, false), ("norm1.bias", norm1.beta, false),
                    ("norm2.weight", norm2.gamma, false), ("norm2.bias", norm2.beta, false),
                ])
        }
    }

    let torch: String
    let cases: [Case]
}

/// A row-major `[rows, columns]` matrix transposed.
private func transpose(_ values: [Float], rows: Int, columns: Int) -> [Float] {
    (0..<columns).flatMap { c in (0..<rows).map { r in values[r * columns + c] } }
}

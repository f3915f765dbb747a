import Backend
import NN
import TestSupport
import Testing

/// Graph nodes that read a padding mask: token ids → mask → masked attention and pooling.
@Suite struct MaskedGraphTests {
    /// Turns `[batch, steps]` ids into `[batch, steps, features]` vectors `id · scale`, standing
    /// in for an embedding (padding id 0 gives zeros).
    final class ScaledIDs: Layer {
        let kind = "scaled_ids"
        let scale: Variable
        init(features: Int, on device: any Device) throws {
            scale = Variable(try randomTensor([features], seed: 30, on: device), requiresGrad: true, name: "scale")
        }
        var parameters: [Variable] { [scale] }
        func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape + scale.shape }
        func forward(_ input: Variable, tape: Tape) throws -> Variable {
            try tape.mul(tape.reshape(input, to: input.shape + [1]), scale)
        }
    }

    @Test(arguments: TestDevice.all)
    func attentionAndPoolingReadTheMaskNode(device: TestDevice) throws {
        let (attention, pool) = (try MultiHeadAttention(dimension: 4, heads: 2, seed: 31, on: device.device), SequencePool(.mean))
        let vectors = try ScaledIDs(features: 4, on: device.device)
        let model = try Graph([
            .init("mask", .layer(PaddingMask()), inputs: ["input"]),
            .init("vectors", .layer(vectors), inputs: ["input"]),
            .init("attn", .layer(attention), inputs: ["vectors", "mask"]),
            .init("pool", .layer(pool), inputs: ["attn", "mask"]),
        ])
        #expect(try model.outputShape(for: [5]) == [4])
        let ids = Variable(try Tensor([3, 1, 4, 1, 5, 9, 2, 6, 0, 0], shape: [2, 5], on: device.device))
        let masked = try model.forward(ids, tape: .inference()).value.toArray()
        let mask = try PaddingMask().forward(ids, tape: .inference())
        let steps = try vectors.forward(ids, tape: .inference())
        let direct = try pool.forward(attention.forward(steps, mask: mask, tape: .inference()), mask: mask, tape: .inference())
        expectClose(masked, try direct.value.toArray(), tolerance: 1e-6, "graph against direct calls")
        let unmasked = try pool.forward(attention.forward(steps, tape: .inference()), tape: .inference()).value.toArray()
        #expect(Array(masked[4..<8]) != Array(unmasked[4..<8]))
        expectClose(Array(masked[0..<4]), Array(unmasked[0..<4]), tolerance: 1e-6, "the unpadded sequence")
    }

    @Test func onlyMaskedLayersTakeASecondInput() throws {
        let dense = try Dense(inputs: 4, outputs: 4, seed: 32, on: CPUDevice.shared)
        #expect(throws: BackendError.self) {
            try Graph([.init("mask", .layer(PaddingMask()), inputs: ["input"]), .init("d", .layer(dense), inputs: ["input", "mask"])])
        }
    }
}

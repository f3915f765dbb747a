import Backend
import NN
import Testing
import TestSupport

/// `Tape.backward` lets each op's saved tensors go once its backward has run: gradients stay
/// bit-identical to keeping them all, and the step's peak device memory drops.
struct SavedTensorReleaseTests {
    enum Model: String, CaseIterable, CustomTestStringConvertible {
        case mlp, cnn, branching

        var testDescription: String { rawValue }

        var inputShape: [Int] {
            switch self {
            case .mlp, .branching: [16, 64]
            case .cnn: [8, 1, 12, 12]
            }
        }

        func make(on device: any Device) throws -> Sequential {
            switch self {
            case .mlp:
                return Sequential([
                    try Dense(inputs: 64, outputs: 128, activation: .relu, initializer: .heUniform, seed: 1, on: device),
                    try Dense(inputs: 128, outputs: 64, activation: .tanh, initializer: .heUniform, seed: 2, on: device),
                    try Dense(inputs: 64, outputs: 5, seed: 3, on: device),
                ])
            case .cnn:
                return Sequential([
                    try Conv2D(inputChannels: 1, outputChannels: 8, kernel: 3, padding: 1, activation: .relu,
                               initializer: .heUniform, seed: 1, on: device),
                    MaxPool2D(kernel: 2),
                    Flatten(),
                    try Dense(inputs: 288, outputs: 5, seed: 2, on: device),
                ])
            case .branching:
                return Sequential([
                    try Dense(inputs: 64, outputs: 32, activation: .sigmoid, seed: 1, on: device),
                    try Dense(inputs: 32, outputs: 5, seed: 2, on: device),
                ])
            }
        }
    }

    /// Gradients of every parameter after one backward pass, and the pass's peak bytes in use.
    static func backward(
        _ model: Model, keepsSavedTensors: Bool, on device: any Device
    ) throws -> (gradients: [[Float]], peakBytes: Int) {
        let network = try model.make(on: device)
        let count = Tensor.elementCount(model.inputShape)
        let inputs = try Tensor((0..<count).map { Float(($0 * 37) % 101) / 50 - 1 }, shape: model.inputShape, on: device)
        let labels = try Tensor((0..<model.inputShape[0]).map { Float($0 % 5) }, shape: [model.inputShape[0]], on: device)
        try device.synchronize()
        device.pool.resetPeak()
        let tape = Tape(keepsSavedTensors: keepsSavedTensors)
        let output: Variable
        if model == .branching {
            // The first layer's output feeds three later ops, so each of their backward passes
            // needs it after the others have let their records go.
            let layers = network.layers
            let hidden = try layers[0].forward(Variable(inputs), tape: tape)
            let squared = try tape.mul(hidden, hidden)
            let mixed = try tape.add(try tape.sub(squared, hidden), hidden)
            output = try layers[1].forward(mixed, tape: tape)
        } else {
            output = try network.forward(Variable(inputs), tape: tape)
        }
        let lossFunction = Loss.crossEntropy
        let loss = try lossFunction(output, labels, tape: tape)
        try tape.backward(loss)
        try device.synchronize()
        let peak = device.pool.statistics.peakBytesInUse
        let gradients = try network.parameters.map { parameter in
            try #require(parameter.grad, "no gradient for \(parameter.name)").toArray()
        }
        return (gradients, peak)
    }

    @Test(arguments: TestDevice.all, Model.allCases)
    func releasingSavedTensorsKeepsGradientsBitIdenticalAndLowersThePeak(device: TestDevice, model: Model) throws {
        // A device of its own, so no test beside this one moves its pool's peak.
        let own = try privateTwin(of: device.device)
        let kept = try Self.backward(model, keepsSavedTensors: true, on: own)
        let released = try Self.backward(model, keepsSavedTensors: false, on: own)
        #expect(released.gradients == kept.gradients)
        #expect(released.peakBytes < kept.peakBytes)
    }
}

import Backend
import Foundation
import NN
import Training

/// What `scripts/compare-models` compares with PyTorch: a described model started from a
/// PyTorch state dict, run on one batch. SGD with a fixed rate, so the steps are PyTorch's
/// `torch.optim.SGD` exactly; cross-entropy loss; batch norm in training mode throughout.
public struct ModelComparison {
    public var description: TrainingDescription
    /// The PyTorch state dict (safetensors) the model starts from.
    public var weights: URL
    /// A safetensors file with `inputs` (`[N, ...]`) and `targets` (`[N]`, class indices).
    public var batch: URL
    public var steps: Int
    public var learningRate: Float

    public init(description: TrainingDescription, weights: URL, batch: URL, steps: Int = 10, learningRate: Float = 0.01) {
        self.description = description
        self.weights = weights
        self.batch = batch
        self.steps = steps
        self.learningRate = learningRate
    }

    /// Runs the comparison on `device` and returns, under PyTorch's names: `eval_output` (a
    /// forward pass in evaluation mode, before training), `output` (the first training forward
    /// pass), `losses` (the loss before each of the `steps` SGD steps and after the last),
    /// `grad.<name>` (every parameter's gradient of the first step) and `state.<name>` (the state
    /// dict after the steps, as `PyTorchWeights.export` writes it).
    public func run(on device: any Device) throws -> [NamedArray] {
        let file = try SafeTensors.read(batch)
        guard let inputs = file["inputs"], let targets = file["targets"], inputs.shape.count >= 2,
              targets.shape == [inputs.shape[0]]
        else {
            throw TrainingError.invalidArgument(
                op: "compare", detail: "\(batch.path) needs 'inputs' [N, ...] and 'targets' [N]")
        }
        let modules = description.pytorchModules
        let model = try description.makeModel(inputShape: Array(inputs.shape.dropFirst()), on: device)
        try PyTorchWeights.load(from: weights, into: model, map: modules)
        let step = TrainingStep(model: model, loss: .crossEntropy, optimizer: try Optimizer(.sgd(), learningRate: learningRate))
        let inputTensor = try Tensor(inputs.values, shape: inputs.shape, on: device)
        let targetTensor = try Tensor(targets.values, shape: targets.shape, on: device)
        let inference = try model.forward(Variable(inputTensor), tape: Tape.inference()).value
        var results = [try NamedArray(name: "eval_output", shape: inference.shape, values: inference.toArray())]
        var losses: [Float] = []
        for number in 0..<steps {
            let result = try step.run(inputs: inputTensor, targets: targetTensor, number: UInt64(number))
            losses.append(try result.loss.item())
            if number == 0 {
                results.append(try NamedArray(name: "output", shape: result.output.shape, values: result.output.toArray()))
                results += try PyTorchWeights.gradients(of: model, map: modules).map {
                    try NamedArray(name: "grad." + $0.name, shape: $0.shape, values: $0.values)
                }
            }
        }
        let tape = Tape(recording: false, training: true, step: UInt64(steps))
        let final = try step.loss(model.forward(Variable(inputTensor), tape: tape), targetTensor, tape: tape)
        losses.append(try final.value.item())
        results.append(try NamedArray(name: "losses", shape: [losses.count], values: losses))
        results += try PyTorchWeights.stateDict(of: model, map: modules).map {
            try NamedArray(name: "state." + $0.name, shape: $0.shape, values: $0.values)
        }
        return results
    }
}

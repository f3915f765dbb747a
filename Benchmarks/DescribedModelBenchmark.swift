import Backend
import NN
import Training

/// Whole training steps (forward, cross-entropy, backward, SGD with momentum 0.9) of the model
/// of a training description on one random batch already on the device, as samples per second:
/// `swifttune bench model`, and SwiftTune's side of `scripts/compare-models --bench`. Each row
/// also gives the device memory of one warm step (`StepMemory`).
public struct DescribedModelBenchmark {
    public var description: TrainingDescription
    /// Its name in the row's size column (the file's name).
    public var name: String
    /// The shape of one sample (the batch dimension excluded).
    public var sampleShape: [Int]
    public var batchSize: Int
    /// Classes of the random labels.
    public var classes: Int
    public var timing: BenchmarkTiming

    public init(
        description: TrainingDescription, name: String, sampleShape: [Int], batchSize: Int, classes: Int,
        timing: BenchmarkTiming = BenchmarkTiming()
    ) {
        self.description = description
        self.name = name
        self.sampleShape = sampleShape
        self.batchSize = batchSize
        self.classes = classes
        self.timing = timing
    }

    /// The batch's values: token ids below the vocabulary for a model that starts with an
    /// embedding (as the data would give it; an id outside the table would look up zeros), else
    /// values in [-1, 1).
    static func inputValues(_ count: Int, for model: any LayerContainer) -> [Float] {
        let values = GemmBenchmark.values(count, seed: 5)
        guard let embedding = model.namedLayers.first?.layer as? Embedding else { return values }
        let vocabulary = Float(embedding.vocabulary)
        return values.map { min(((($0 + 1) / 2) * vocabulary).rounded(.down), vocabulary - 1) }
    }

    /// One row per device, handed to `report` as soon as it is measured.
    public func run(on devices: [any Device], report: (BenchmarkRow) -> Void) throws {
        for device in devices {
            let model = try description.makeModel(inputShape: sampleShape, on: device)
            let step = TrainingStep(model: model, loss: .crossEntropy, optimizer: try Optimizer(.sgd(momentum: 0.9), learningRate: 0.01))
            let shape = [batchSize] + sampleShape
            let inputs = try Tensor(Self.inputValues(Tensor.elementCount(shape), for: model), shape: shape, on: device)
            let labels = try Tensor((0..<batchSize).map { Float(($0 * 7) % max(classes, 1)) }, shape: [batchSize], on: device)
            var number: UInt64 = 0
            let milliseconds = try timing.medianMilliseconds(on: device) {
                try step.run(inputs: inputs, targets: labels, number: number)
                number += 1
            }
            var row = BenchmarkRow(
                benchmark: "model", size: "\(name) b\(batchSize)", path: "sgd", device: device.identifier,
                medianMilliseconds: milliseconds, rate: Double(batchSize) / (milliseconds / 1000), unit: "samples/s")
            row.memory = try StepMemory.measure(on: device) {
                try step.run(inputs: inputs, targets: labels, number: number)
                number += 1
            }
            report(row)
        }
    }
}

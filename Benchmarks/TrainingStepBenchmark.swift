import Backend
import NN
import Training

/// Whole training steps (forward, cross-entropy loss, backward, Adam update) of two small
/// models on random 28×28 inputs with 10 classes, reported as samples per second:
///
/// - `mlp`: Dense 784→512 ReLU, 512→256 ReLU, 256→10; batch 128.
/// - `cnn`: Conv 3×3 1→32 (padding 1) ReLU, max pool 2, Conv 3×3 32→64 (padding 1) ReLU,
///   max pool 2, Dense 3136→128 ReLU, 128→10; batch 64.
///
/// The timed steps are `TrainingStep`, the step `Trainer.fit` runs, on one batch already on the
/// device, so the time measures the model's step and nothing of data loading;
/// `scripts/compare-train` runs the same models with PyTorch (and tinygrad) for the ratio. Each
/// row also reports what a step of `Trainer.fit` asks of the device (`StepActivity`): kernel
/// launches, host synchronizations and bytes moved, batch upload and recording included, and the
/// device memory of one warm step (`StepMemory`).
public struct TrainingStepBenchmark: Sendable {
    /// The models a row measures.
    public enum Model: String, CaseIterable, Sendable {
        case mlp
        case cnn

        /// Samples per step.
        public var batchSize: Int { self == .mlp ? 128 : 64 }

        /// The shape of one batch of inputs.
        var inputShape: [Int] { self == .mlp ? [batchSize, 784] : [batchSize, 1, 28, 28] }

        /// The row's size column, e.g. `784-512-256-10 b128`.
        var size: String {
            self == .mlp ? "784-512-256-10 b\(batchSize)" : "c32-c64-128-10 b\(batchSize)"
        }

        /// The model with its weights on `device`.
        func make(on device: any Device) throws -> Sequential {
            switch self {
            case .mlp:
                return Sequential([
                    try Dense(inputs: 784, outputs: 512, activation: .relu, initializer: .heUniform, seed: 1, on: device),
                    try Dense(inputs: 512, outputs: 256, activation: .relu, initializer: .heUniform, seed: 2, on: device),
                    try Dense(inputs: 256, outputs: 10, seed: 3, on: device),
                ])
            case .cnn:
                return Sequential([
                    try Conv2D(inputChannels: 1, outputChannels: 32, kernel: 3, padding: 1, activation: .relu,
                               initializer: .heUniform, seed: 1, on: device),
                    MaxPool2D(kernel: 2),
                    try Conv2D(inputChannels: 32, outputChannels: 64, kernel: 3, padding: 1, activation: .relu,
                               initializer: .heUniform, seed: 2, on: device),
                    MaxPool2D(kernel: 2),
                    Flatten(),
                    try Dense(inputs: 3136, outputs: 128, activation: .relu, initializer: .heUniform, seed: 3, on: device),
                    try Dense(inputs: 128, outputs: 10, seed: 4, on: device),
                ])
            }
        }
    }

    public var models: [Model]
    public var timing: BenchmarkTiming
    /// Also time every op of each model's step on its own (`TrainingStepProfile`).
    public var profile: Bool

    public init(models: [Model] = Model.allCases, timing: BenchmarkTiming = BenchmarkTiming(), profile: Bool = false) {
        self.models = models
        self.timing = timing
        self.profile = profile
    }

    /// Every model on every device, handing each row to `report` as soon as it is measured.
    public func run(on devices: [any Device], report: (BenchmarkRow) -> Void) throws {
        for device in devices {
            for model in models {
                let step = try Step(model, on: device)
                let milliseconds = try timing.medianMilliseconds(on: device) { try step.run() }
                var row = BenchmarkRow(
                    benchmark: "train", size: model.size, path: model.rawValue + " adam", device: device.identifier,
                    medianMilliseconds: milliseconds, rate: Double(model.batchSize) / (milliseconds / 1000),
                    unit: "samples/s")
                row.memory = try StepMemory.measure(on: device) { try step.run() }
                row.activity = try StepActivity.measure(model, on: device)
                report(row)
                if profile {
                    for opRow in try TrainingStepProfile(model, on: device).rows(timing: timing) { report(opRow) }
                }
            }
        }
    }

    /// One model, its optimizer and a fixed batch on one device.
    private final class Step {
        let step: TrainingStep
        let inputs: Tensor
        let labels: Tensor
        /// The next step's number, so each tape is numbered like the trainer's.
        private var number: UInt64 = 0

        init(_ kind: Model, on device: any Device) throws {
            step = TrainingStep(model: try kind.make(on: device), loss: .crossEntropy, optimizer: try Optimizer(.adam(), learningRate: 1e-3))
            let count = Tensor.elementCount(kind.inputShape)
            inputs = try Tensor(GemmBenchmark.values(count, seed: 5), shape: kind.inputShape, on: device)
            labels = try Tensor(Model.labels(kind.batchSize), shape: [kind.batchSize], on: device)
        }

        func run() throws {
            try step.run(inputs: inputs, targets: labels, number: number)
            number += 1
        }
    }
}

extension TrainingStepBenchmark.Model {
    /// Class labels for `count` samples, spread over the 10 classes.
    static func labels(_ count: Int) -> [Float] {
        (0..<count).map { Float(($0 * 7) % 10) }
    }
}

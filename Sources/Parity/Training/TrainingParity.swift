import Backend
import NN

/// A few training steps of a small model on synthetic data (labels from a random linear
/// teacher), with Adam and cross-entropy: every device should give the CPU path's losses.
public struct TrainingParity: Sendable {
    /// The models trained.
    public enum Model: String, CaseIterable, Sendable {
        /// 64 → 32 (ReLU) → 10.
        case mlp
        /// [1, 8, 8] → conv 3×3, 4 filters (ReLU) → max-pool 2 → flatten → 10.
        case cnn
        /// [8, 8] steps → dense 16 per step → positional embedding → 2-head causal attention →
        /// layer norm → mean over the steps → 10.
        case transformer
    }

    /// Which model.
    public let model: Model
    /// Training steps.
    public let steps: Int
    /// Samples per step.
    public let batchSize: Int
    /// The largest relative difference between a device's loss and the CPU's at any step.
    public let tolerance: Double

    public init(_ model: Model, steps: Int = 10, batchSize: Int = 32, tolerance: Double = 1e-3) {
        self.model = model
        self.steps = steps
        self.batchSize = batchSize
        self.tolerance = tolerance
    }

    /// Every model.
    public static let all = Model.allCases.map { TrainingParity($0) }

    /// One sample's shape.
    var sampleShape: [Int] {
        switch model {
        case .mlp: [64]
        case .cnn: [1, 8, 8]
        case .transformer: [8, 8]
        }
    }

    static let classes = 10
    /// Distinct batches the steps cycle through.
    static let batchCount = 4

    func makeModel(on device: any Device) throws -> Sequential {
        switch model {
        case .mlp:
            Sequential([
                try Dense(inputs: 64, outputs: 32, activation: .relu, initializer: .heUniform, seed: 7, on: device),
                try Dense(inputs: 32, outputs: Self.classes, seed: 8, on: device),
            ])
        case .cnn:
            Sequential([
                try Conv2D(inputChannels: 1, outputChannels: 4, kernel: 3, padding: 1, activation: .relu, initializer: .heUniform, seed: 9, on: device),
                MaxPool2D(kernel: 2),
                Flatten(),
                try Dense(inputs: 64, outputs: Self.classes, seed: 10, on: device),
            ])
        case .transformer:
            Sequential([
                try Dense(inputs: 8, outputs: 16, seed: 11, on: device),
                try PositionalEmbedding(steps: 8, features: 16, seed: 12, on: device),
                try MultiHeadAttention(dimension: 16, heads: 2, causal: true, seed: 13, on: device),
                try LayerNorm(features: 16, on: device),
                SequencePool(.mean),
                try Dense(inputs: 16, outputs: Self.classes, seed: 14, on: device),
            ])
        }
    }

    /// Inputs in [-1, 1] and each sample's label: the largest output of a random linear map.
    func data() -> (inputs: [Float], labels: [Float]) {
        let features = Tensor.elementCount(sampleShape)
        let samples = batchSize * Self.batchCount
        let inputs = randomValues(samples * features, seed: 21)
        let teacher = randomValues(features * Self.classes, seed: 22)
        let labels = (0..<samples).map { sample in
            let scores = (0..<Self.classes).map { label in
                (0..<features).reduce(0.0) { $0 + Double(inputs[sample * features + $1]) * Double(teacher[$1 * Self.classes + label]) }
            }
            return Float(scores.indices.max { scores[$0] < scores[$1] } ?? 0)
        }
        return (inputs, labels)
    }

    /// The loss of each step on `device`: `TrainingStep`, the step `Trainer.fit` runs, with
    /// each step's loss read back only after the last step.
    public func losses(on device: any Device) throws -> [Float] {
        let step = TrainingStep(model: try makeModel(on: device), loss: .crossEntropy, optimizer: try Optimizer(.adam(), learningRate: 1e-2))
        let (inputs, labels) = data()
        let features = Tensor.elementCount(sampleShape)
        let lossTensors = try (0..<steps).map { number in
            let batch = number % Self.batchCount
            let x = try Tensor(
                Array(inputs[batch * batchSize * features..<(batch + 1) * batchSize * features]),
                shape: [batchSize] + sampleShape, on: device)
            let y = try Tensor(Array(labels[batch * batchSize..<(batch + 1) * batchSize]), shape: [batchSize], on: device)
            return try step.run(inputs: x, targets: y, number: UInt64(number)).loss
        }
        return try lossTensors.map { try $0.item() }
    }

    /// Trains on `device` and on `reference` (the CPU path). Passes when every loss is finite,
    /// the last step's is below the first's, and each step's is within `tolerance` of the
    /// reference's (relative); with one device for both, it trains once.
    public func compare(_ device: any Device, with reference: any Device) -> ParityResult {
        let name = "train \(model.rawValue)"
        let label = "\(steps) steps of \(batchSize)"
        var failures: [String] = []
        var worst = (error: 0.0, detail: "")
        var seconds = 0.0
        do {
            let (losses, elapsed) = try timed { try self.losses(on: device) }
            seconds = elapsed
            let expected = device === reference ? losses : try self.losses(on: reference)
            if let bad = losses.firstIndex(where: { !$0.isFinite }) {
                failures.append("\(label): step \(bad) has loss \(losses[bad])")
            } else if let first = losses.first, let last = losses.last, !(last < first) {
                failures.append("\(label): the loss went from \(first) to \(last), not down")
            }
            let step = worstRelativeError(losses, expected.map(Double.init))
            let path = "\(label): loss \(losses.first ?? .nan) → \(losses.last ?? .nan)"
            let detail = step.index < 0
                ? "\(path), the same on \(reference.identifier)"
                : "\(path); worst step \(step.index): \(losses[step.index]), \(reference.identifier) \(expected[step.index])"
            worst = (step.error, detail)
            if !(step.error <= tolerance) { failures.append("\(detail), relative error \(step.error) > \(tolerance)") }
        } catch {
            worst = (.infinity, "\(label): \(error)")
            failures.append(worst.detail)
        }
        return ParityResult(
            family: "training", op: name,
            device: device === reference ? device.identifier : "\(device.identifier) vs \(reference.identifier)",
            shapes: ["\([batchSize] + sampleShape)"], metric: .maxRelative, tolerance: tolerance, error: worst.error,
            worst: worst.detail, failures: failures, milliseconds: seconds * 1000)
    }
}

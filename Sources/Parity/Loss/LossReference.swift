import Backend
import Foundation

/// Double references of the losses: per-sample values, then the reduction.
public enum LossReference {
    /// The per-sample losses reduced as `reduction` says.
    public static func reduce(_ samples: [Double], _ reduction: LossReduction) -> [Double] {
        switch reduction {
        case .none: samples
        case .sum: [samples.reduce(0, +)]
        case .mean: [samples.reduce(0, +) / Double(samples.count)]
        }
    }

    /// Softmax cross-entropy of each row of `logits` against its label (a class index).
    public static func crossEntropy(_ logits: [Double], labels: [Float], classes: Int) -> [Double] {
        labels.indices.map { row in
            let z = logits[row * classes..<(row + 1) * classes]
            let largest = z.max() ?? 0
            let logSumExp = largest + log(z.reduce(0) { $0 + exp($1 - largest) })
            return logSumExp - z[row * classes + Int(labels[row])]
        }
    }

    /// `(x − y)²` per element.
    public static func squaredError(_ x: [Double], _ y: [Float]) -> [Double] {
        zip(x, y).map { ($0 - Double($1)) * ($0 - Double($1)) }
    }

    /// Binary cross-entropy of `sigmoid(x)` against the probability `y`, per element.
    public static func binaryCrossEntropy(_ x: [Double], _ y: [Float]) -> [Double] {
        zip(x, y).map { x, y in
            let p = 1 / (1 + exp(-x))
            return -(Double(y) * log(p) + (1 - Double(y)) * log(1 - p))
        }
    }
}

/// Random inputs of the losses.
public enum LossInputs {
    /// One random class index in `0..<classes` per row, as Float.
    public static func labels(rows: Int, classes: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<rows).map { _ in Float(Int.random(in: 0..<classes, using: &generator)) }
    }

    /// A random upstream gradient with the loss's shape.
    public static func upstream(_ reduction: LossReduction, samples: Int, seed: UInt64) -> [Float] {
        randomValues(reduction == .none ? samples : 1, in: 0.5...2, seed: seed)
    }
}

/// The elementwise losses, each with its ops and Double reference.
public enum ElementwiseLoss: CaseIterable, Sendable {
    case mse, bce

    /// The forward op's name.
    public var opName: String { self == .mse ? "meanSquaredError" : "binaryCrossEntropyWithLogits" }

    /// Targets: any value for MSE, probabilities for binary cross-entropy.
    public var targetRange: ClosedRange<Float> { self == .mse ? -1...1 : 0.001...1 }

    /// The per-sample losses in Double.
    public func reference(_ x: [Double], _ y: [Float]) -> [Double] {
        self == .mse ? LossReference.squaredError(x, y) : LossReference.binaryCrossEntropy(x, y)
    }

    /// The forward op on a device.
    public func forward(_ device: any Device, _ x: Tensor, _ y: Tensor, _ reduction: LossReduction, _ loss: Tensor) throws {
        switch self {
        case .mse: try device.meanSquaredError(prediction: x, target: y, reduction: reduction, into: loss)
        case .bce: try device.binaryCrossEntropyWithLogits(logits: x, targets: y, reduction: reduction, into: loss)
        }
    }

    /// The backward op on a device.
    public func backward(
        _ device: any Device, _ x: Tensor, _ y: Tensor, _ reduction: LossReduction, _ gradOutput: Tensor?, _ grad: Tensor
    ) throws {
        switch self {
        case .mse:
            try device.meanSquaredErrorBackward(prediction: x, target: y, reduction: reduction, gradOutput: gradOutput, into: grad)
        case .bce:
            try device.binaryCrossEntropyWithLogitsBackward(logits: x, targets: y, reduction: reduction, gradOutput: gradOutput, into: grad)
        }
    }
}

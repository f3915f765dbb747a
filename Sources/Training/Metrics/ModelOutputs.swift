import Foundation

/// A model's outputs for a set of samples, on the host: `width` values per sample.
/// For classification, width 1 is a binary problem (one score for class 1) and width ≥ 2 holds
/// one score per class; for regression, the values are the predictions.
public struct ModelOutputs: Sendable {
    /// Whether classification scores are raw (logits) or already probabilities.
    public enum Kind: Sendable, Equatable {
        /// Raw scores: sigmoid (width 1) or softmax (width ≥ 2) turns them into probabilities.
        case logits
        /// Probabilities, used as they are.
        case probabilities
    }

    /// All outputs, row-major.
    public let values: [Float]
    /// Outputs per sample.
    public let width: Int
    /// How classification scores are to be read.
    public let kind: Kind

    /// Outputs of `width` values per sample.
    public init(_ values: [Float], width: Int, kind: Kind = .logits) throws {
        guard width > 0, values.count % width == 0 else {
            throw DataError.invalidArgument(op: "ModelOutputs", detail: "\(values.count) values are not rows of \(width)")
        }
        self.values = values
        self.width = width
        self.kind = kind
    }

    /// Number of samples.
    public var count: Int { values.count / width }
    /// Number of classes these scores describe: 2 for width 1, else the width.
    public var classCount: Int { max(width, 2) }

    /// The predicted class of each sample: the highest score (the first on ties), or for width 1
    /// class 1 when its probability is at least one half.
    public func predictedClasses() -> [Int] {
        if width == 1 {
            let threshold: Float = kind == .logits ? 0 : 0.5
            return values.map { $0 >= threshold ? 1 : 0 }
        }
        return (0..<count).map { row in
            let base = row * width
            var best = 0
            for c in 1..<width where values[base + c] > values[base + best] { best = c }
            return best
        }
    }

    /// Class probabilities, `classCount` per sample (row-major), in Double.
    public func classProbabilities() -> [Double] {
        if width == 1 {
            return values.flatMap { value -> [Double] in
                let p = kind == .logits ? 1 / (1 + exp(-Double(value))) : Double(value)
                return [1 - p, p]
            }
        }
        guard kind == .logits else { return values.map(Double.init) }
        return (0..<count).flatMap { row -> [Double] in
            let scores = values[(row * width)..<((row + 1) * width)].map(Double.init)
            let largest = scores.max() ?? 0
            let exponentials = scores.map { exp($0 - largest) }
            let sum = exponentials.reduce(0, +)
            return exponentials.map { $0 / sum }
        }
    }

    /// The fraction of samples whose class (in `actual`) is among the `k` highest scores; a tie
    /// at the k-th score counts for the sample. With at most `k` classes, every sample counts.
    public func topKAccuracy(_ actual: [Int], k: Int) -> Double {
        guard !actual.isEmpty, k >= 1 else { return 0 }
        guard k < classCount else { return 1 }
        if width == 1 {
            return Double(zip(predictedClasses(), actual).filter { $0 == $1 }.count) / Double(actual.count)
        }
        let hits = actual.enumerated().filter { row, truth in
            let scores = values[(row * width)..<((row + 1) * width)]
            let own = values[row * width + truth]
            return scores.filter { $0 > own }.count < k
        }.count
        return Double(hits) / Double(actual.count)
    }

    /// `targets` as class indices of these outputs' classes; `op` names the caller in the error
    /// about a target that is not one.
    func classIndices(of targets: [Float], op: String) throws -> [Int] {
        try targets.enumerated().map { index, target in
            guard let c = Dataset.classIndex(target, classCount: classCount) else {
                throw DataError.invalidArgument(
                    op: op, detail: "target \(target) of sample \(index) is not a class index in 0..<\(classCount)")
            }
            return c
        }
    }
}

/// Counts of (actual class, predicted class) pairs, and the classification metrics that follow
/// from them. A ratio with a zero denominator (e.g. the precision of a class never predicted)
/// counts as 0.
public struct ConfusionMatrix: Sendable, Equatable, CustomStringConvertible {
    /// Number of classes.
    public let classCount: Int
    /// `counts[actual][predicted]`.
    public let counts: [[Int]]

    /// Counts the pairs; every class index must lie in `0..<classCount`.
    public init(actual: [Int], predicted: [Int], classCount: Int) throws {
        guard classCount > 0 else {
            throw DataError.invalidArgument(op: "ConfusionMatrix", detail: "class count must be positive, got \(classCount)")
        }
        guard actual.count == predicted.count, !actual.isEmpty else {
            throw DataError.invalidArgument(
                op: "ConfusionMatrix", detail: "needs as many predictions (\(predicted.count)) as targets (\(actual.count)), at least one")
        }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        for (index, (truth, guess)) in zip(actual, predicted).enumerated() {
            guard (0..<classCount).contains(truth), (0..<classCount).contains(guess) else {
                throw DataError.invalidArgument(
                    op: "ConfusionMatrix", detail: "sample \(index): class \(truth) or prediction \(guess) is outside 0..<\(classCount)")
            }
            counts[truth][guess] += 1
        }
        self.classCount = classCount
        self.counts = counts
    }

    /// Number of samples.
    public var total: Int { counts.joined().reduce(0, +) }
    /// Samples whose prediction is right.
    public var correct: Int { (0..<classCount).reduce(0) { $0 + counts[$1][$1] } }
    /// The fraction of right predictions.
    public var accuracy: Double { Double(correct) / Double(total) }

    /// Samples of class `c` predicted as `c`.
    public func truePositives(_ c: Int) -> Int { counts[c][c] }
    /// Samples of other classes predicted as `c`.
    public func falsePositives(_ c: Int) -> Int { predictedCount(c) - counts[c][c] }
    /// Samples of class `c` predicted as another class.
    public func falseNegatives(_ c: Int) -> Int { support(c) - counts[c][c] }
    /// Samples whose actual class is `c`.
    public func support(_ c: Int) -> Int { counts[c].reduce(0, +) }
    /// Samples predicted as `c`.
    public func predictedCount(_ c: Int) -> Int { counts.reduce(0) { $0 + $1[c] } }

    /// Precision of class `c`: of the samples predicted as `c`, the fraction that are `c`.
    public func precision(ofClass c: Int) -> Double { ratio(truePositives(c), predictedCount(c)) }
    /// Recall of class `c`: of the samples of class `c`, the fraction predicted as `c`.
    public func recall(ofClass c: Int) -> Double { ratio(truePositives(c), support(c)) }
    /// F1 of class `c`: the harmonic mean of its precision and recall.
    public func f1(ofClass c: Int) -> Double {
        let p = precision(ofClass: c)
        let r = recall(ofClass: c)
        return p + r > 0 ? 2 * p * r / (p + r) : 0
    }

    /// Precision combined over classes.
    public func precision(_ averaging: Averaging) throws -> Double {
        try average(averaging, micro: ratio(correct, total), precision(ofClass:))
    }
    /// Recall combined over classes.
    public func recall(_ averaging: Averaging) throws -> Double {
        try average(averaging, micro: ratio(correct, total), recall(ofClass:))
    }
    /// F1 combined over classes (macro: the mean of the per-class F1 values).
    public func f1(_ averaging: Averaging) throws -> Double {
        try average(averaging, micro: ratio(correct, total), f1(ofClass:))
    }

    private func average(_ averaging: Averaging, micro: Double, _ perClass: (Int) -> Double) throws -> Double {
        switch averaging {
        case .micro:
            return micro
        case .macro:
            let present = (0..<classCount).filter { support($0) > 0 || predictedCount($0) > 0 }
            return present.map(perClass).reduce(0, +) / Double(present.count)
        case .weighted:
            return (0..<classCount).reduce(0) { $0 + Double(support($1)) * perClass($1) } / Double(total)
        case let .binary(positiveClass):
            guard (0..<classCount).contains(positiveClass) else {
                throw DataError.invalidArgument(op: "ConfusionMatrix", detail: "positive class \(positiveClass) is outside 0..<\(classCount)")
            }
            return perClass(positiveClass)
        }
    }

    private func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        denominator > 0 ? Double(numerator) / Double(denominator) : 0
    }

    /// A text table: one row per actual class, one column per predicted class.
    public func rendered(classNames: [String]? = nil) -> String {
        let names = classNames?.count == classCount ? classNames ?? [] : (0..<classCount).map(String.init)
        let corner = "actual \\ predicted"
        let labelWidth = max(corner.count, names.map(\.count).max() ?? 0)
        let cellWidth = max(names.map(\.count).max() ?? 0, String(counts.joined().max() ?? 0).count)
        func pad(_ text: String, _ width: Int, left: Bool) -> String {
            let space = String(repeating: " ", count: max(0, width - text.count))
            return left ? text + space : space + text
        }
        var lines = [pad(corner, labelWidth, left: true) + names.map { "  " + pad($0, cellWidth, left: false) }.joined()]
        for (row, name) in names.enumerated() {
            lines.append(pad(name, labelWidth, left: true) + counts[row].map { "  " + pad(String($0), cellWidth, left: false) }.joined())
        }
        return lines.joined(separator: "\n")
    }

    public var description: String { rendered() }
}

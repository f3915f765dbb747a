/// What the ranking metrics (ROC AUC, average precision) share: checking labels and scores, and
/// averaging a binary metric over classes one against the rest.
enum BinaryScores {
    /// Throws unless `labels` are 0 or 1 and as many as `scores`, all finite.
    static func check(labels: [Int], scores: [Double], op: String) throws {
        guard labels.count == scores.count else {
            throw DataError.invalidArgument(op: op, detail: "\(scores.count) scores for \(labels.count) labels")
        }
        if let bad = labels.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw DataError.invalidArgument(op: op, detail: "label \(labels[bad]) of sample \(bad) is not 0 or 1")
        }
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            throw DataError.invalidArgument(op: op, detail: "score \(scores[bad]) of sample \(bad) is not finite")
        }
    }

    /// The mean over classes of `binary` of each class against the rest. `probabilities` holds
    /// `classCount` scores per sample, row-major.
    static func oneVsRest(
        labels: [Int], probabilities: [Double], classCount: Int, op: String,
        _ binary: (_ labels: [Int], _ scores: [Double]) throws -> Double
    ) throws -> Double {
        guard classCount >= 2, probabilities.count == labels.count * classCount else {
            throw DataError.invalidArgument(
                op: op, detail: "\(probabilities.count) scores are not \(labels.count) rows of \(classCount) classes (at least 2)")
        }
        var sum = 0.0
        for c in 0..<classCount {
            let scores = labels.indices.map { probabilities[$0 * classCount + c] }
            do {
                sum += try binary(labels.map { $0 == c ? 1 : 0 }, scores)
            } catch let DataError.invalidArgument(_, detail) {
                throw DataError.invalidArgument(op: op, detail: "class \(c) against the rest: \(detail)")
            }
        }
        return sum / Double(classCount)
    }
}

/// The area under the ROC curve: the probability that a random positive sample scores higher
/// than a random negative one, ties counting one half (computed from average ranks).
public enum ROCAUC {
    /// AUC of a binary problem: `labels` are 0 or 1, `scores` rank the positive class.
    public static func binary(labels: [Int], scores: [Double]) throws -> Double {
        guard labels.count == scores.count else {
            throw DataError.invalidArgument(op: "ROCAUC", detail: "\(scores.count) scores for \(labels.count) labels")
        }
        if let bad = labels.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw DataError.invalidArgument(op: "ROCAUC", detail: "label \(labels[bad]) of sample \(bad) is not 0 or 1")
        }
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            throw DataError.invalidArgument(op: "ROCAUC", detail: "score \(scores[bad]) of sample \(bad) is not finite")
        }
        let positives = labels.reduce(0, +)
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else {
            throw DataError.invalidArgument(
                op: "ROCAUC", detail: "undefined with \(positives) positive and \(negatives) negative samples (both are needed)")
        }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var positiveRankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let averageRank = Double(start + end) / 2 + 1
            for position in start...end where labels[order[position]] == 1 { positiveRankSum += averageRank }
            start = end + 1
        }
        let p = Double(positives)
        return (positiveRankSum - p * (p + 1) / 2) / (p * Double(negatives))
    }

    /// One-vs-rest AUC of each class, averaged (macro). `probabilities` holds `classCount`
    /// scores per sample, row-major; every class must occur and not be the only one.
    public static func oneVsRest(labels: [Int], probabilities: [Double], classCount: Int) throws -> Double {
        guard classCount >= 2, probabilities.count == labels.count * classCount else {
            throw DataError.invalidArgument(
                op: "ROCAUC", detail: "\(probabilities.count) scores are not \(labels.count) rows of \(classCount) classes (at least 2)")
        }
        var sum = 0.0
        for c in 0..<classCount {
            let scores = labels.indices.map { probabilities[$0 * classCount + c] }
            do {
                sum += try binary(labels: labels.map { $0 == c ? 1 : 0 }, scores: scores)
            } catch let DataError.invalidArgument(_, detail) {
                throw DataError.invalidArgument(op: "ROCAUC", detail: "class \(c) against the rest: \(detail)")
            }
        }
        return sum / Double(classCount)
    }
}

/// The area under the ROC curve: the probability that a random positive sample scores higher
/// than a random negative one, ties counting one half (computed from average ranks).
public enum ROCAUC {
    /// AUC of a binary problem: `labels` are 0 or 1, `scores` rank the positive class.
    public static func binary(labels: [Int], scores: [Double]) throws -> Double {
        try BinaryScores.check(labels: labels, scores: scores, op: "ROCAUC")
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
        try BinaryScores.oneVsRest(labels: labels, probabilities: probabilities, classCount: classCount, op: "ROCAUC", binary)
    }

}

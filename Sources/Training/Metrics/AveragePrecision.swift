/// The area under the precision-recall curve, as average precision: the mean, over the positive
/// samples, of the precision among the samples that score at least as high. Tied scores enter
/// the ranking together (no order among them is favoured).
public enum AveragePrecision {
    /// Average precision of a binary problem: `labels` are 0 or 1, `scores` rank the positive class.
    public static func binary(labels: [Int], scores: [Double]) throws -> Double {
        try BinaryScores.check(labels: labels, scores: scores, op: "AveragePrecision")
        let positives = labels.reduce(0, +)
        guard positives > 0 else {
            throw DataError.invalidArgument(op: "AveragePrecision", detail: "undefined without positive samples")
        }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var truePositives = 0
        var seen = 0
        var sum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let group = order[start...end]
            let groupPositives = group.reduce(0) { $0 + labels[$1] }
            truePositives += groupPositives
            seen += group.count
            // Each positive of the group reaches recall at the group's precision.
            sum += Double(groupPositives) * Double(truePositives) / Double(seen)
            start = end + 1
        }
        return sum / Double(positives)
    }

    /// One-vs-rest average precision of each class, averaged (macro). `probabilities` holds
    /// `classCount` scores per sample, row-major; every class must occur.
    public static func oneVsRest(labels: [Int], probabilities: [Double], classCount: Int) throws -> Double {
        try BinaryScores.oneVsRest(labels: labels, probabilities: probabilities, classCount: classCount, op: "AveragePrecision", binary)
    }

}

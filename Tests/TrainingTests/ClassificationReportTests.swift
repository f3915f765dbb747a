import Testing
import Training

/// Average precision, top-k accuracy, the positive class's scores and the per-class report.
struct ClassificationReportTests {
    @Test func averagePrecisionAveragesThePrecisionAtEachPositive() throws {
        // Ranked: 1, 0, 1, 1, 0 → precisions 1, 2/3, 3/4 at the positives.
        let value = try AveragePrecision.binary(labels: [1, 0, 1, 1, 0], scores: [0.9, 0.8, 0.7, 0.6, 0.5])
        #expect(abs(value - (1 + 2.0 / 3 + 3.0 / 4) / 3) < 1e-12)
        // A tie between a positive and a negative: both enter at precision 1/2.
        #expect(abs(try AveragePrecision.binary(labels: [0, 1], scores: [0.5, 0.5]) - 0.5) < 1e-12)
        #expect(try AveragePrecision.binary(labels: [1, 1, 0], scores: [3, 2, 1]) == 1)
        #expect(throws: DataError.self) { try AveragePrecision.binary(labels: [0, 0], scores: [1, 2]) }
        #expect(throws: DataError.self) { try AveragePrecision.binary(labels: [1, 2], scores: [1, 2]) }
    }

    @Test func topKAccuracyCountsTheClassAmongTheHighestScores() throws {
        // Three samples of four classes: the true class ranks 1st, 3rd and 4th.
        let outputs = try ModelOutputs([4, 3, 2, 1, 1, 4, 3, 2, 9, 8, 7, 6], width: 4)
        let targets: [Float] = [0, 3, 3]
        #expect(abs(try Metric.top3Accuracy.compute(outputs, targets: targets) - 2.0 / 3) < 1e-12)
        #expect(abs(outputs.topKAccuracy([0, 3, 3], k: 1) - 1.0 / 3) < 1e-12)
        #expect(try Metric.top5Accuracy.compute(outputs, targets: targets) == 1)
    }

    @Test func thePositiveClassScoresNeedTwoClasses() throws {
        // Predicted 1, 1, 0, 0 for actual 1, 0, 1, 0: precision 1/2, recall 1/2.
        let binary = try ModelOutputs([2, 1, -1, -2], width: 1)
        let targets: [Float] = [1, 0, 1, 0]
        #expect(try Metric.precision.compute(binary, targets: targets) == 0.5)
        #expect(try Metric.recall.compute(binary, targets: targets) == 0.5)
        #expect(try Metric.f1.compute(binary, targets: targets) == 0.5)
        #expect(try Metric.prAUC.compute(binary, targets: targets) > 0)
        let three = try ModelOutputs([1, 0, 0, 0, 1, 0], width: 3)
        #expect(throws: DataError.self) { try Metric.precision.compute(three, targets: [0, 1]) }
    }

    @Test func theReportListsEveryClassAndWritesCSV() throws {
        // Actual 0, 0, 1, 2; predicted 0, 1, 1, 2.
        let outputs = try ModelOutputs([5, 0, 0, 0, 5, 0, 0, 5, 0, 0, 0, 5], width: 3)
        let report = try ClassificationReport(outputs: outputs, targets: [0, 0, 1, 2], classNames: ["cat", "dog", "bird, small"])
        #expect(report.rows.map(\.support) == [2, 1, 1])
        #expect(report.rows[0].precision == 1 && report.rows[0].recall == 0.5)
        #expect(report.rows[1].precision == 0.5 && report.rows[1].recall == 1)
        #expect(report.csv.split(separator: "\n")[3] == "\"bird, small\",1.0,1.0,1.0,1")
        #expect(report.confusionCSV.split(separator: "\n")[1] == "cat,1,1,0")
        #expect(report.text.contains("macro mean") && report.text.contains("confusion matrix:"))
        #expect(throws: DataError.self) { try ClassificationReport(outputs: outputs, targets: [0, 0, 1, 7], classNames: []) }
    }
}

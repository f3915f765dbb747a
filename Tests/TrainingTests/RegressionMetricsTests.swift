import Testing
import Training

@Suite struct RegressionMetricsTests {
    static let actual: [Float] = [3, -0.5, 2, 7]
    static let predicted: [Float] = [2.5, 0, 2, 8]

    @Test func errorsAndR2MatchHandComputedValues() throws {
        #expect(try RegressionMetrics.meanSquaredError(actual: Self.actual, predicted: Self.predicted) == 0.375)
        #expect(try RegressionMetrics.meanAbsoluteError(actual: Self.actual, predicted: Self.predicted) == 0.5)
        // Total sum of squares about the mean 2.875 is 29.1875; residual 1.5.
        let r2 = try RegressionMetrics.r2(actual: Self.actual, predicted: Self.predicted)
        #expect(abs(r2 - (1 - 1.5 / 29.1875)) < 1e-12)
    }

    @Test func r2OfConstantTargetsAndWorseThanTheMean() throws {
        #expect(try RegressionMetrics.r2(actual: [2, 2], predicted: [2, 2]) == 1)
        #expect(try RegressionMetrics.r2(actual: [2, 2], predicted: [1, 2]) == 0)
        #expect(try RegressionMetrics.r2(actual: [0, 2], predicted: [2, 0]) == -3)
        #expect(throws: DataError.self) { try RegressionMetrics.meanSquaredError(actual: [], predicted: []) }
        #expect(throws: DataError.self) { try RegressionMetrics.r2(actual: [1], predicted: [1, 2]) }
    }

    @Test func metricNamesAndDirections() throws {
        let outputs = try ModelOutputs(Self.predicted, width: 1)
        let values = try Metric.compute([.meanSquaredError, .meanAbsoluteError, .r2], outputs: outputs, targets: Self.actual)
        #expect(values == ["mse": 0.375, "mae": 0.5, "r2": 1 - 1.5 / 29.1875])
        #expect(!Metric.meanSquaredError.greaterIsBetter)
        #expect(Metric.r2.greaterIsBetter && !Metric.r2.isClassification)
        #expect(throws: DataError.self) { try Metric.r2.compute(try ModelOutputs([1, 2], width: 2), targets: [1]) }
    }
}

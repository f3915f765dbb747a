/// Errors of real-valued predictions, computed in Double.
public enum RegressionMetrics {
    /// Mean of the squared differences.
    public static func meanSquaredError(actual: [Float], predicted: [Float]) throws -> Double {
        try check(actual, predicted, op: "meanSquaredError")
        return zip(actual, predicted).reduce(0) { $0 + square(Double($1.1) - Double($1.0)) } / Double(actual.count)
    }

    /// Mean of the absolute differences.
    public static func meanAbsoluteError(actual: [Float], predicted: [Float]) throws -> Double {
        try check(actual, predicted, op: "meanAbsoluteError")
        return zip(actual, predicted).reduce(0) { $0 + abs(Double($1.1) - Double($1.0)) } / Double(actual.count)
    }

    /// Coefficient of determination: 1 − (residual sum of squares) / (total sum of squares about
    /// the mean). When the targets are all equal it is 1 for perfect predictions and 0 otherwise.
    public static func r2(actual: [Float], predicted: [Float]) throws -> Double {
        try check(actual, predicted, op: "r2")
        let mean = actual.reduce(0) { $0 + Double($1) } / Double(actual.count)
        let residual = zip(actual, predicted).reduce(0) { $0 + square(Double($1.0) - Double($1.1)) }
        let spread = actual.reduce(0) { $0 + square(Double($1) - mean) }
        guard spread > 0 else { return residual == 0 ? 1 : 0 }
        return 1 - residual / spread
    }

    private static func square(_ x: Double) -> Double { x * x }

    private static func check(_ actual: [Float], _ predicted: [Float], op: String) throws {
        guard actual.count == predicted.count, !actual.isEmpty else {
            throw DataError.invalidArgument(
                op: op, detail: "needs as many predictions (\(predicted.count)) as targets (\(actual.count)), at least one")
        }
    }
}

/// How a `ParityCase` measures the distance between an op's outputs and the reference.
public enum ParityMetric: String, Sendable, Codable {
    /// The largest `|actual − expected| / max(1, |expected|)` over the elements (`relativeError`).
    case maxRelative = "max relative"
    /// `‖actual − expected‖_F / ‖expected‖_F`, for GEMM, whose elements are long sums whose
    /// rounding grows with k while the matrix as a whole stays accurate.
    case relativeFrobenius = "relative Frobenius"

    /// The error of `actual` against `expected` and, when it is not 0, where it is worst.
    func measure(_ actual: [Float], _ expected: [Double]) -> (error: Double, worst: String) {
        guard actual.count == expected.count else {
            return (.infinity, "\(actual.count) values, expected \(expected.count)")
        }
        switch self {
        case .maxRelative:
            let worst = worstRelativeError(actual, expected)
            guard worst.index >= 0 else { return (worst.error, "") }
            return (worst.error, "element \(worst.index) is \(actual[worst.index]), expected \(expected[worst.index])")
        case .relativeFrobenius:
            return (relativeFrobeniusError(actual, expected), "")
        }
    }
}

import Parity
import Testing

/// Checks every element: `|actual - expected| <= tolerance * max(1, |expected|)`, reporting the
/// worst element at the caller's line. NaN or infinity where the reference is finite fails.
public func expectClose(
    _ actual: [Float], _ expected: [Double], tolerance: Double, _ label: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count else {
        Issue.record("\(label): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    let worst = worstRelativeError(actual, expected)
    if worst.index >= 0, worst.error > tolerance {
        Issue.record(
            "\(label): element \(worst.index) is \(actual[worst.index]), expected \(expected[worst.index]) (relative error \(worst.error) > \(tolerance))",
            sourceLocation: sourceLocation)
    }
}

/// Same as `expectClose` with a Float reference (e.g. the CPU result against OpenCL's).
public func expectClose(
    _ actual: [Float], _ expected: [Float], tolerance: Double, _ label: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectClose(actual, expected.map(Double.init), tolerance: tolerance, label, sourceLocation: sourceLocation)
}
